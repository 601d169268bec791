import { check } from 'jsload';
import { Counter } from 'jsload/metrics';
const hits = new Counter('hits');
export const options = {
  groups: {
    web: { executor: 'per-vu-iterations', vus: 1, iterations: 2, tags: { team: 'checkout' } },
  },
  thresholds: {
    'hits{team:checkout}': ['count==2'],
    'checks{team:checkout}': ['rate==1'],
  },
};
export default function () {
  hits.add(1);
  check(1, { 'tagged': () => true });
}
