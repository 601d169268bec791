// A realistic iteration: log in (a JSON POST), list the products with the
// token (a GET), parse both JSON answers, two checks and a custom Trend.
import http from 'jsload/http';
import { check } from 'jsload';
import { Trend } from 'jsload/metrics';

const base = __ENV.BASE;
const listed = new Trend('items_listed');
const credentials = JSON.stringify({ user: 'ann', password: 's3cret' });
const asJSON = { headers: { 'Content-Type': 'application/json' } };
http.setDefaults({ insecureSkipTLSVerify: true });
// Connections stay open across iterations, as wrk's and k6's do (jsload's
// default is a new browser, new connections, each iteration).
export const options = { newBrowserEachIteration: false };

export default function () {
  const token = http.post(`${base}/login`, credentials, asJSON).json().token;
  const res = http.get(`${base}/items`, { headers: { Authorization: `Bearer ${token}` } });
  const list = res.json();
  check(res, { 'status is 200': (r) => r.status === 200, 'has items': () => list.items.length > 0 });
  listed.add(list.items.length);
}
