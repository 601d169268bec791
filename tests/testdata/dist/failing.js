// VU 3 (segment 2's when split in 3) only makes failing requests: a third of
// the whole test's, so the whole test fails http_req_failed rate<0.2 while
// segments 0 and 1 alone pass it.
import http from 'jsload/http';
import { vu, sleep } from 'jsload';

export const options = {
  vus: 3,
  duration: '60s',
  thresholds: { http_req_failed: [{ threshold: 'rate<0.2', abortOnFail: true, delayAbortEval: '1s' }] },
};

export default function () {
  http.get(`${__ENV.BASE_URL}/${vu.id === 3 ? 'fail' : 'hit'}`);
  sleep(0.05);
}
