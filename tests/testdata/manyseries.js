// Many series per second: about 60 KiB of NDJSON each second (300 of hits).
import { sleep } from 'jsload';
import { Counter } from 'jsload/metrics';
const hits = new Counter('hits');
export const options = { vus: 1, duration: __ENV.DURATION || '3s' };
export default function () {
  for (let i = 0; i < 300; i++) hits.add(1, { page: `page-${i}` });
  sleep(0.1);
}
