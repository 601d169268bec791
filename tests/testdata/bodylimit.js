// options.maxResponseBodySize is every request's limit unless its params say
// otherwise; __ENV.BASE answers 100 bytes.
import http from 'jsload/http';
import { check } from 'jsload';

export const options = { maxResponseBodySize: '50B', thresholds: { checks: ['rate==1'] } };

export default function () {
  check(http.get(__ENV.BASE), { 'past the option: 1702': (r) => r.errorCode === 1702 && r.status === 0 });
  check(http.get(__ENV.BASE, { maxResponseBodySize: '1KiB' }), { 'the param wins': (r) => r.body.length === 100 });
}
