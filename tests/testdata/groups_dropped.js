import { sleep } from 'jsload';
export const options = {
  groups: {
    busy: { executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 1, gracefulStop: '1s' },
  },
};
export default function () { sleep(0.3); }
