// One VU's loop: http.get on __ENV.URL (plain, TLS, or a large body). The
// target's https:// listeners have a self-signed certificate.
import http from 'jsload/http';
const url = __ENV.URL;
http.setDefaults({ insecureSkipTLSVerify: true });
export default function () { http.get(url); }
