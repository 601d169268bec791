import { check } from 'jsload';
export const options = {
  vus: 1, iterations: 5,
  thresholds: {
    iterations: ['count>1000'],
    checks: ['rate>0.5'],
  },
};
export default function () { check(1, { 'one is one': (v) => v === 1 }); }
