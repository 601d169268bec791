// A background ticker: polls a price every loop (here computed; with HTTP it
// would be a GET) and publishes it in the VU's dictionary for the main flow.
import { getInteger, setInteger, setString, stopRequested } from 'jsload';

export default function (args) {
  const seq = getInteger('tickSeq', 0) + 1;
  setInteger('tickSeq', seq);
  const price = (args.base + Math.sin(seq) * 5).toFixed(2);
  setString('lastPrice', price);
  if (stopRequested()) console.log(`ticker stops after ${seq} ticks`);
}
