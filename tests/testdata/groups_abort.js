import { abortTest, sleep } from 'jsload';
export const options = {
  groups: {
    waiting: { executor: 'constant-vus', vus: 2, duration: '1m' },
    checker: { executor: 'constant-arrival-rate', exec: 'checker', rate: 10, duration: '1m', preAllocatedVUs: 1 },
  },
};
export default function () { sleep(60); }
export function checker() { abortTest('the checker found a problem'); }
