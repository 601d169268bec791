import { sleep } from 'jsload';
export const options = { groups: {
  first: { executor: 'per-vu-iterations', vus: 1, iterations: 1 },
  later: { executor: 'per-vu-iterations', vus: 1, iterations: 1, startTime: '1s' },
} };
export default function () { sleep(0.5); }
