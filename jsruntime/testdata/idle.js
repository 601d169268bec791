// A typical small script: imports the API and sleeps, as idle VUs do.
import { sleep, check } from 'jsload';

export const options = { vus: 1000, duration: '15s' };

export default function () {
  check(1, { 'one': (v) => v === 1 });
  sleep(1);
}
