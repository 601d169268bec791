// Requests of one kind (one series per metric), for the round trips through
// Prometheus and InfluxDB.
import http from 'jsload/http';
export const options = { vus: 2, iterations: 300 };
export default function () {
  http.get(`${__ENV.BASE_URL}/products`, { tags: { name: 'products' } });
}
