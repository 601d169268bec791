// One VU's loop: http.get on __ENV.URL (plain, TLS, or a large body). The
// target's https:// listeners have a self-signed certificate.
import http from 'jsload/http';
const url = __ENV.URL;
// Connections stay open across iterations, as wrk's and k6's do (jsload's
// default is a new browser, new connections, each iteration).
export const options = { newBrowserEachIteration: false };
http.setDefaults({ insecureSkipTLSVerify: true });
export default function () { http.get(url); }
