import { abortTest, createBackgroundScript, sleep, vu } from 'jsload';
export const options = { groups: { main: { executor: 'constant-vus', vus: 2, duration: '1m' } } };
export function vuInit() {
  if (vu.idInGroup === 1) createBackgroundScript('watchdog', { exec: 'watchdog' });
}
export function watchdog() { sleep(0.2); abortTest('the watchdog fired'); }
export default function () { sleep(60); }
