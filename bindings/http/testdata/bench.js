// One request per iteration, for BenchmarkGet and BenchmarkGetCPU.
import http from 'jsload/http';

const url = __ENV.URL;

export default function () {
  const r = http.get(url);
  if (r.status !== 200) throw new Error(`status ${r.status}: ${r.error}`);
}
