// One VU's loop: http.get on __ENV.URL (the 100-byte and the 100 ms endpoints).
import http from 'jsload/http';
const url = __ENV.URL;
export default function () { http.get(url); }
