// The VU of TestPerfRatio: __ENV.WORK requests per iteration (1, or more to
// show that the check fails when the work doubles).
import http from 'jsload/http';

const url = __ENV.URL;
const work = Number(__ENV.WORK || 1);
http.setDefaults({ insecureSkipTLSVerify: true });

export default function () {
  for (let i = 0; i < work; i++) {
    const r = http.get(url);
    if (r.status !== 200) throw new Error(`status ${r.status}: ${r.error}`);
  }
}
