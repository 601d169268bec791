// get.js, with the response kept: the script reads its status, so the body is
// read into memory of its own (get.js drops the response: its body is read
// into a buffer reused at once, as wrk reads every body).
import http from 'jsload/http';
const url = __ENV.URL;
export const options = { newBrowserEachIteration: false };
http.setDefaults({ insecureSkipTLSVerify: true });
export default function () {
  const res = http.get(url);
  if (res.status !== 200) throw new Error(`status ${res.status}`);
}
