// asyncRequest and the end of its VU (async_test.go). __ENV.SILENT is a server
// that accepts connections and never answers.
import http from 'jsload/http';

// orphan ends its iteration with a request in flight: it throws before awaiting.
export function orphan() {
  http.asyncRequest('GET', `${__ENV.SILENT}/never`);
  throw new Error('thrown with a request in flight');
}

// pending awaits a request that never gets an answer, until the VU is stopped.
export async function pending() {
  await http.asyncRequest('GET', `${__ENV.SILENT}/never`);
  throw new Error('a request to the silent server got an answer');
}
