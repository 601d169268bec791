// A target that accepts connections and never answers (__ENV.HUNG): every
// request is still in flight when the test ends.
import http from 'jsload/http';

export const options = {
  vus: 2,
  duration: '300ms',
  gracefulStop: '300ms',
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500'],
    'http_req_waiting{status:200}': ['p(95)<500'],
  },
};

export default function () {
  http.get(__ENV.HUNG);
}
