// VU 2 (of segment 1 when split in 3) aborts the test at its 4th iteration;
// the others would loop for a minute.
import { abortTest, vu, sleep } from 'jsload';

export const options = { vus: 3, duration: '60s' };

export default function () {
  if (vu.id === 2 && vu.iteration === 3) abortTest('segment 1 has seen enough');
  sleep(0.05);
}
