// Logs a line now and then while the progress line refreshes (the terminal test).
import { sleep, vu } from 'jsload';
export const options = { vus: 1, iterations: 3 };
export default function () {
  sleep(1.5);
  console.log(`tick ${vu.iteration}`);
}
