// A realistic load test of the demo shop: each VU logs in once, then browses the
// catalogue and buys, with checks, transactions and thresholds.
// Run it (the demo API starts in-process): go run ./cmd/jsload run --demo examples/js/shop.js
import http from 'jsload/http';
import { check, fail, pause, vu } from 'jsload';

const BASE = __ENV.BASE_URL || 'http://127.0.0.1:8080';

export const options = {
  vus: 5,
  duration: '5s',
  thresholds: {
    http_req_duration: ['p(95)<500'],
    'http_req_duration{name:buy}': ['p(99)<1000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export function vuInit() {
  const res = http.post(`${BASE}/login`, { user: `user${vu.id}`, password: 'secret' });
  if (!check(res, { 'logged in': (r) => r.status === 200 })) fail(`login failed: ${res.status} ${res.error}`);
  setString('token', res.json().token);
}

export default function () {
  const auth = { headers: { Authorization: `Bearer ${getString('token')}` } };

  startTransaction('browse');
  const list = http.get(`${BASE}/products`, auth);
  check(list, { 'catalogue loads': (r) => r.status === 200 && r.json().length > 0 });
  const product = list.json()[vu.iteration % list.json().length];
  const one = http.get(`${BASE}/products/${product.id}`, auth);
  endTransaction('browse', one.status === 200);

  pause(0.1, 0.3);

  startTransaction('buy');
  const order = http.post(`${BASE}/buy`, JSON.stringify({ product: product.id, price: product.price, qty: 1 }),
    { headers: { ...auth.headers, 'Content-Type': 'application/json' }, tags: { name: 'buy' } });
  endTransaction('buy', check(order, { 'order placed': (r) => r.status === 200 && r.json().orderId !== undefined }));
}
