import { sleep } from 'jsload';
export const options = { vus: 1, duration: '2m' };
export default function () {
  console.log(`cache ${getString('cacheHome')}`);
  sleep(120);
}
