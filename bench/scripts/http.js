// 50 VUs looping http.get on a 100-byte endpoint.
import http from 'jsload/http';
const url = __ENV.URL;
export default function () { http.get(url); }
