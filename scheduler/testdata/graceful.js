import { sleep } from 'jsload';
export const options = { groups: {
  short: { executor: 'constant-vus', vus: 1, duration: '1h', gracefulStop: '100ms' },
  long: { executor: 'constant-vus', vus: 1, duration: '1h', gracefulStop: '1s' },
} };
export default function () { sleep(0.5); }
