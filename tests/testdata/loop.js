import { sleep, vu } from 'jsload';
export const options = { vus: 2, duration: '1m', gracefulStop: '5s' };
export default function () {
  if (vu.iteration === 0) console.log(`iteration ${vu.id}`);
  sleep(0.1);
}
export function vuEnd() { console.log(`vuEnd ${vu.id}`); }
