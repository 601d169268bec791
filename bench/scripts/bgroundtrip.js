// create → running → stopped round trips of a small background script.
import { Trend } from 'jsload/metrics';
const roundTrip = new Trend('bg_roundtrip', true);
export function noop() {}
export default function () {
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    createBackgroundScript('b', { exec: 'noop' });
    waitForBackgroundScriptToFinish('b');
    roundTrip.add(performance.now() - t0);
  }
}
