// A background ticker: polls the demo API's price every loop and publishes it in
// the VU's dictionary for the main flow (the client-side polling of a real page).
import http from 'jsload/http';
import { setString, setInteger, stopRequested } from 'jsload';

export default function ({ base, symbol }) {
  const res = http.get(`${base}/price?symbol=${symbol}`, { tags: { name: 'price' } });
  if (res.status !== 200) return;
  const tick = res.json();
  setInteger('tickSeq', tick.seq);
  setString('lastPrice', String(tick.price));
  if (stopRequested()) console.log(`ticker stops at tick ${tick.seq}`);
}
