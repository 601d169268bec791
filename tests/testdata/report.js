// A run whose report has every kind of chart: two VU groups, transactions,
// checks that fail now and then, and an error thrown from one place.
import http from 'jsload/http';
import { check, sleep, vu } from 'jsload';
export const options = {
  groups: {
    shoppers: { executor: 'constant-vus', vus: 2, duration: '2500ms' },
    api: { executor: 'constant-vus', vus: 1, duration: '2500ms', exec: 'api' },
  },
  thresholds: { http_req_duration: ['p(95)<5000'], checks: ['rate>0.5'] },
};
export default function () {
  startTransaction('browse');
  const r = http.get(`${__ENV.BASE_URL}/products`);
  check(r, { 'status is 200': (res) => res.status === 200 });
  endTransaction('browse');
  startTransaction('buy');
  http.get(`${__ENV.BASE_URL}/delay?ms=5`);
  endTransaction('buy');
  if (vu.iteration % 7 === 3) throw new Error('out of stock');
  sleep(0.05);
}
export function api() {
  const r = http.get(`${__ENV.BASE_URL}/bytes?n=64`);
  check(r, { 'every fifth fails': () => vu.iteration % 5 !== 0 });
  sleep(0.05);
}
