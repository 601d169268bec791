// 100 VUs on a 100 ms endpoint: the theoretical rate is 1,000 requests/s.
import http from 'jsload/http';
const url = __ENV.URL;
export default function () { http.get(url); }
