// One test run as 1 process and as 3 segments (tests/dist_test.go): every
// iteration takes a number of one shared sequence and tells the target which
// VU, user row and number it had; at its second iteration every VU meets the
// others at a rendezvous of all 6.
import http from 'jsload/http';
import { shared, rendezvous, vu, getString } from 'jsload';

export const options = {
  groups: { buyers: { executor: 'per-vu-iterations', vus: 6, iterations: 10 } },
  data: { users: { file: 'users.csv', rows: 'per-vu' } },
  thresholds: { iterations: ['count>=60'] },
};

export default function () {
  const n = shared.increment('seq');
  if (vu.iteration === 1) {
    const r = rendezvous('together', { count: 6, timeout: '60s' });
    http.get(`${__ENV.BASE_URL}/meet?vu=${vu.id}&released=${r.released}&arrived=${r.arrived}`);
  }
  http.get(`${__ENV.BASE_URL}/hit?vu=${vu.id}&user=${getString('user')}&n=${n}`);
}
