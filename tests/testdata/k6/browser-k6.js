// A k6 script's iterations as k6 runs them: a new cookie jar each iteration
// unless NO_COOKIES_RESET=true (options.noCookiesReset), the VU's connections
// kept from one iteration to the next unless NO_CONN_REUSE=true
// (options.noVUConnectionReuse). Two VUs of three iterations against an HTTPS
// target that sets and lists cookies.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';

export const options = {
  scenarios: { shop: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } },
  insecureSkipTLSVerify: true,
  ...(__ENV.NO_COOKIES_RESET ? { noCookiesReset: __ENV.NO_COOKIES_RESET === 'true' } : {}),
  ...(__ENV.NO_CONN_REUSE ? { noVUConnectionReuse: __ENV.NO_CONN_REUSE === 'true' } : {}),
};

const BASE = __ENV.BASE;
const keepCookies = __ENV.NO_COOKIES_RESET === 'true';
const newConnections = __ENV.NO_CONN_REUSE === 'true';

export default function () {
  const n = exec.vu.iterationInScenario;
  const first = http.get(`${BASE}/cookies`);
  check(first, {
    'the cookies of earlier iterations as k6 keeps them': (r) => Object.keys(r.json()).length === (keepCookies ? n : 0),
    'a TLS handshake on a new connection only': (r) => (r.timings.tls_handshaking > 0) === (newConnections || n === 0),
  });
  http.get(`${BASE}/set?name=it${n}`);
}
