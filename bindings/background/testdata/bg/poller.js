// A background poller: records who it is, then publishes a tick count every loop.
import { getInteger, setInteger, stopRequested, backgroundScriptId } from 'jsload';

export default function (args) {
  if (args && args.mark) setString(args.mark, backgroundScriptId);
  const n = getInteger('ticks', 0) + 1;
  setInteger('ticks', n);
}
