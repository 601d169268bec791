// k6's options, as a k6 script writes them: scenarios, userAgent, hosts (the
// target is reached as shop.test), maxRedirects, discardResponseBodies, tags,
// summaryTrendStats and summaryTimeUnit, thresholds on the test-wide tag.
// __ENV.PORT is the target's port.
import http from 'jsload/http';
import { check } from 'jsload';

export const options = {
  scenarios: {
    shop: { executor: 'per-vu-iterations', vus: 2, iterations: 2, exec: 'shop', tags: { area: 'store' } },
  },
  userAgent: 'MyK6Test/1.0',
  hosts: { 'shop.test': '127.0.0.1', '*.cdn.test': '127.0.0.1' },
  maxRedirects: 1,
  discardResponseBodies: true,
  tags: { team: 'checkout' },
  summaryTrendStats: ['avg', 'p(99.9)', 'count'],
  summaryTimeUnit: 'ms',
  thresholds: { checks: ['rate==1'], 'http_reqs{team:checkout}': ['count==16'] },
};

export function shop() {
  const base = `http://shop.test:${__ENV.PORT}`;
  const r = http.get(`${base}/ua`);
  check(r, {
    'userAgent is sent': (res) => res.headers['X-Seen-Ua'] === 'MyK6Test/1.0',
    'hosts maps shop.test': (res) => res.status === 200 && res.headers['X-Seen-Host'] === `shop.test:${__ENV.PORT}`,
    'discardResponseBodies drops the body': (res) => res.body === null,
  });
  check(http.get(`http://img.cdn.test:${__ENV.PORT}/ua`, { responseType: 'text' }), {
    'a wildcard of hosts maps the subdomain': (res) => res.status === 200 && res.body === 'ok',
  });
  check(http.get(`${base}/redirect/2`), { 'maxRedirects: 1 stops at the second': (res) => res.status === 302 });
}
