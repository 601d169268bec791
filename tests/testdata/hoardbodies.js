// Keeps every response body: only the memory guard ends this test.
import http from 'jsload/http';
export const options = { vus: 2, duration: '2m' };
const kept = [];
export default function () {
  kept.push(http.get(`${__ENV.BASE_URL}/bytes?n=1048576`).body);
}
