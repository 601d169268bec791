// Grows an array without bound: only the memory guard ends this test.
import { Counter } from 'jsload/metrics';
const grown = new Counter('grown');
export const options = { vus: 2, duration: '2m' };
export default function () {
  const hoard = [];
  for (let i = 0; ; i++) {
    hoard.push(`item ${i} `.repeat(20));
    if (i % 10000 === 0) grown.add(1);
  }
}
