import { sleep } from 'jsload';
export function idle() { sleep(3600); }
export function noop() {}
export function startMany() {
  const n = getInteger('n');
  for (let i = 0; i < n; i++) createBackgroundScript(`idle${i}`, { exec: 'idle' }, { stopMode: 'immediate' });
}
export function roundTrip() {
  createBackgroundScript('rt', { exec: 'noop' });
  waitForBackgroundScriptToFinish('rt');
}
export default function () {}
