import { abortTest, sleep } from 'jsload';
export const options = { groups: {
  long: { executor: 'constant-vus', vus: 2, duration: '1h' },
  killer: { executor: 'per-vu-iterations', vus: 1, iterations: 1, startTime: '1s', exec: 'kill' },
} };
export default function () { sleep(3600); }
export function kill() { abortTest('enough'); }
