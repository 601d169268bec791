// newBrowserEachIteration end to end: the option from NEW_BROWSER ('true',
// 'false', or unset for the default), two VUs of three iterations against an
// HTTPS target that sets and lists cookies.
import http from 'jsload/http';
import { check, vu } from 'jsload';

export const options = {
  groups: { shop: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } },
  ...(__ENV.NEW_BROWSER ? { newBrowserEachIteration: __ENV.NEW_BROWSER === 'true' } : {}),
};

const BASE = __ENV.BASE;
const renew = __ENV.NEW_BROWSER !== 'false';
const params = { insecureSkipTLSVerify: true };

export default function () {
  const first = http.get(`${BASE}/cookies`, params);
  check(first, {
    'the cookies of earlier iterations as the option says': (r) => Object.keys(r.json()).length === (renew ? 0 : vu.iteration),
    'a TLS handshake in a new browser only': (r) => (r.timings.tlsHandshaking > 0) === (renew || vu.iteration === 0),
  });
  http.get(`${BASE}/set?name=it${vu.iteration}`, params);
}
