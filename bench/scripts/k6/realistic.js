// k6's version of ../realistic.js.
import http from 'k6/http';
import { check } from 'k6';
import { Trend } from 'k6/metrics';

export const options = { insecureSkipTLSVerify: true };
const base = __ENV.BASE;
const listed = new Trend('items_listed');
const credentials = JSON.stringify({ user: 'ann', password: 's3cret' });
const asJSON = { headers: { 'Content-Type': 'application/json' } };

export default function () {
  const token = http.post(`${base}/login`, credentials, asJSON).json().token;
  const res = http.get(`${base}/items`, { headers: { Authorization: `Bearer ${token}` } });
  const list = res.json();
  check(res, { 'status is 200': (r) => r.status === 200, 'has items': () => list.items.length > 0 });
  listed.add(list.items.length);
}
