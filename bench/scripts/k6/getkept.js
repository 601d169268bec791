// k6's version of ../getkept.js (k6 keeps every body it does not discard).
import http from 'k6/http';
export const options = { insecureSkipTLSVerify: true };
const url = __ENV.URL;
export default function () {
  const res = http.get(url);
  if (res.status !== 200) throw new Error(`status ${res.status}`);
}
