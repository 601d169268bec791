// k6/html and res.html() on the demo's index page, with k6/encoding and
// k6/crypto to sign a request, and __VU/__ITER: a k6 script jsload runs as is.
// Run it: go run ./cmd/jsload run --demo examples/k6/html.js
import http from 'k6/http';
import { check } from 'k6';
import { parseHTML } from 'k6/html';
import encoding from 'k6/encoding';
import crypto from 'k6/crypto';

const BASE = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const symbols = JSON.parse(open('./data/symbols.json'));

export const options = { vus: 2, iterations: 6, thresholds: { checks: ['rate==1'] } };

export default function () {
  const res = http.get(`${BASE}/`);
  const doc = res.html();
  check(doc, {
    'has a title': (d) => d.find('h1').text() === 'jsload demo API',
    'lists the endpoints': (d) => d.find('li').size() >= 5,
    'every endpoint has code': (d) => d.find('li').map((i, li) => li.find('code').size() > 0).every(Boolean),
  });
  const again = parseHTML(res.body);
  check(again, { 'parseHTML agrees': (d) => d.find('li code').first().text() === doc.find('li code').first().text() });

  const symbol = symbols[(__VU + __ITER) % symbols.length].symbol;
  const sig = crypto.hmac('sha256', 'demo-secret', `symbol=${symbol}`, 'hex');
  const quote = http.get(`${BASE}/price?symbol=${symbol}&sig=${sig}`, {
    headers: { 'X-Client': encoding.b64encode(`vu-${__VU}`, 'rawurl') },
  });
  check(quote, {
    'quoted': (r) => r.status === 200 && r.json('symbol') === symbol,
    'signature is hex': () => /^[0-9a-f]{64}$/.test(sig),
  });
}
