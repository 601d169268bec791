import { sleep, vu } from 'jsload';
export const options = {
  groups: {
    ramp: { executor: 'ramping-vus', stages: [{ duration: '1m', target: 3 }], gracefulStop: '5s' },
    paced: { executor: 'constant-vus', vus: 1, duration: '1m', pacing: '100ms' },
  },
};
export default function () {
  if (vu.iteration === 0) console.log(`iteration ${vu.group} ${vu.idInGroup}`);
  sleep(0.05);
}
export function vuEnd() { console.log(`vuEnd ${vu.group} ${vu.idInGroup}`); }
