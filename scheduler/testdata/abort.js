import { abortTest, sleep, vu } from 'jsload';
export default function () {
  if (vu.id === 2 && vu.iteration === 3) abortTest('enough');
  sleep(0.01);
}
