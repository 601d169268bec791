// k6's client options: noConnectionReuse, batchPerHost, throw,
// insecureSkipTLSVerify and tlsVersion. __ENV.PLAIN is an http:// target,
// __ENV.TLS an https:// one with a certificate no one trusts, __ENV.CLOSED a
// port nothing listens on.
import http from 'jsload/http';
import { check } from 'jsload';

export const options = {
  iterations: 1,
  noConnectionReuse: true,
  batchPerHost: 2,
  throw: true,
  insecureSkipTLSVerify: true,
  tlsVersion: { max: 'tls1.2' },
  thresholds: { checks: ['rate==1'] },
};

export default function () {
  const a = http.get(`${__ENV.PLAIN}/conn`);
  const b = http.get(`${__ENV.PLAIN}/conn`);
  check(b, { 'noConnectionReuse: a connection per request': (r) => r.body !== a.body });
  const reqs = [];
  for (let i = 0; i < 6; i++) reqs.push(`${__ENV.PLAIN}/slow`);
  const res = http.batch(reqs);
  check(res, { 'batchPerHost: at most 2 at once': (rs) => Math.max(...rs.map((r) => Number(r.body))) <= 2 });
  let threw = false;
  try {
    http.get(__ENV.CLOSED);
  } catch (e) {
    threw = true;
  }
  check(threw, { 'throw: a failed request throws': (t) => t });
  check(http.get(__ENV.CLOSED, { throw: false }), { 'throw: false in params wins': (r) => r.status === 0 && r.errorCode > 0 });
  check(http.get(`${__ENV.TLS}/tls`), {
    'insecureSkipTLSVerify: the certificate is not checked': (r) => r.status === 200,
    'tlsVersion: max tls1.2': (r) => r.body === 'TLS 1.2',
  });
}
