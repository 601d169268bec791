// Loops for a few seconds with a shared counter: the coordinator is killed
// while it runs (tests/dist_test.go).
import http from 'jsload/http';
import { shared, sleep } from 'jsload';

export const options = { vus: 3, duration: __ENV.DURATION || '4s', thresholds: { iterations: [__ENV.THRESHOLD || 'count>0'] } };

export default function () {
  shared.increment('ticks');
  http.get(`${__ENV.BASE_URL}/hit`);
  sleep(0.05);
}
