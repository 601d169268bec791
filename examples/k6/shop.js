// A k6 script, as a k6 user writes it, that jsload runs unmodified: log in once
// per VU, browse the catalogue and buy, in groups, with checks, a custom trend,
// a SharedArray of users and thresholds on the group tag and expected_response.
// Run it against the built-in demo API: go run ./cmd/jsload run --demo examples/k6/shop.js
import http from 'k6/http';
import { check, group, sleep, fail } from 'k6';
import { SharedArray } from 'k6/data';
import { Trend, Counter } from 'k6/metrics';
import exec from 'k6/execution';

const BASE = __ENV.BASE_URL || 'http://127.0.0.1:8080';

// One copy for all VUs, read once (the users file has a header line).
const users = new SharedArray('users', () => open('./data/users.csv').trim().split('\n').slice(1));

const basket = new Trend('basket_value');
const orders = new Counter('orders');

export const options = {
  vus: 4,
  duration: '4s',
  thresholds: {
    'http_req_duration{expected_response:true}': ['p(95)<500'],
    'http_req_duration{group:::buy}': ['p(99)<1000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    group_duration: ['avg<2000'],
  },
};

let token;

export default function () {
  if (!token) {
    const user = users[(exec.vu.idInTest - 1) % users.length];
    const res = http.post(`${BASE}/login`, { user, password: 'secret' });
    if (!check(res, { 'logged in': (r) => r.status === 200 })) fail(`login failed: ${res.status} ${res.error}`);
    token = res.json('token');
  }
  const params = { headers: { Authorization: `Bearer ${token}` } };

  let product;
  group('browse', () => {
    const list = http.get(`${BASE}/products`, params);
    check(list, { 'catalogue loads': (r) => r.status === 200 && r.json('#') > 0 });
    const products = list.json();
    product = products[exec.vu.iterationInScenario % products.length];
    const [one, price] = http.batch([
      ['GET', http.url`${BASE}/products/${product.id}`, null, params],
      ['GET', `${BASE}/price?symbol=JSL`],
    ]);
    check(one, { 'product found': (r) => r.json('id') === product.id });
    check(price, { 'price quoted': (r) => r.json('price') > 0 });
  });

  sleep(0.1);

  group('buy', () => {
    const order = http.post(`${BASE}/buy`, JSON.stringify({ product: product.id, price: product.price, qty: 1 }),
      { headers: { ...params.headers, 'Content-Type': 'application/json' }, tags: { name: 'buy' } });
    if (check(order, { 'order placed': (r) => r.status === 200 && r.json('orderId') !== undefined })) {
      orders.add(1);
      basket.add(product.price);
    }
  });
}
