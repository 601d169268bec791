// TestDroppedResponses's cases for k6/http, whose dropped responses are not
// kept either.
import http from 'k6/http';

const big = `${__ENV.BASE}/bytes?n=102400`;
export function keptBodies() {
  for (let i = 0; i < 20; i++) {
    const r = http.get(big);
    if (r.body.length !== 102400) throw new Error(`body of ${r.body.length} bytes`);
  }
}
export function droppedBodies() {
  for (let i = 0; i < 20; i++) http.get(big);
}

export default function () {}
