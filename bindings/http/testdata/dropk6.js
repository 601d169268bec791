// TestDroppedResponses's case for k6/http, whose dropped responses are not
// kept either (testdata/http.js has the kept reference).
import http from 'k6/http';

export function droppedBodies() {
  for (let i = 0; i < 20; i++) http.get(`${__ENV.BASE}/bytes?n=102400`);
}

export default function () {}
