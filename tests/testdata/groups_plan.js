import { sleep } from 'jsload';
export const options = {
  groups: {
    browsing: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '2s', target: 4 }, { duration: '3s', target: 4 }, { duration: '1s', target: 0 }] },
    api: { executor: 'constant-arrival-rate', exec: 'api', rate: 30, duration: '4s', startTime: '1s', preAllocatedVUs: 2, maxVUs: 6 },
  },
};
export default function () { sleep(1); }
export function api() {}
