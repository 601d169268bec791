// A background poller: publishes a tick count every loop.
import { getInteger, setInteger, stopRequested, backgroundScriptId } from 'jsload';

export default function (args) {
  const n = getInteger('ticks', 0) + 1;
  setInteger('ticks', n);
  if (args && args.mark) setString(args.mark, backgroundScriptId);
}
