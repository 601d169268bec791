// k6's version of ../get.js.
import http from 'k6/http';
export const options = { insecureSkipTLSVerify: true };
const url = __ENV.URL;
export default function () { http.get(url); }
