// Each VU runs one looping background poller beside a sleeping main flow.
import { sleep } from 'jsload';
export function vuInit() {
  createBackgroundScript('poller', { exec: 'poll' }, { loop: true, pause: '1s' });
}
export function poll() { setInteger('polls', getInteger('polls', 0) + 1); }
export default function () { sleep(1); }
