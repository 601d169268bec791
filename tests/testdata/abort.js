import { abortTest, sleep } from 'jsload';
export const options = { vus: 2, duration: '1m' };
export default function () {
  sleep(0.05);
  abortTest('the target is down');
}
