// One VU's loop: http.get on __ENV.URL (the 100-byte and the 100 ms endpoints).
import http from 'jsload/http';
const url = __ENV.URL;
// Connections stay open across iterations, as wrk's and k6's do (jsload's
// default is a new browser, new connections, each iteration).
export const options = { newBrowserEachIteration: false };
export default function () { http.get(url); }
