// waitForNumber wake-up between runtimes: the main script waits for a key, its
// background script sets it (after a short pause, so the main script is already
// waiting); the time from the set to the main script running again is recorded.
import { sleep } from 'jsload';
import { Trend } from 'jsload/metrics';
const wake = new Trend('handoff_wakeup', true);
const rounds = 2000;
export function ping() {
  for (let i = 0; i < rounds; i++) {
    waitForString(`go${i}`);
    sleep(0.0005);
    setNumber(`t${i}`, performance.now());
  }
}
export default function () {
  createBackgroundScript('ping', { exec: 'ping' }, { stop: 'script', stopMode: 'immediate' });
  for (let i = 0; i < rounds; i++) {
    setString(`go${i}`, 'x');
    const sent = waitForNumber(`t${i}`, '5s');
    wake.add(performance.now() - sent);
    removeKey(`go${i}`);
    removeKey(`t${i}`);
  }
}
