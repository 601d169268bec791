// Timers, promises and async/await work inside an iteration: the iteration ends
// when the promise it returns settles and no timer it started is pending.
// Run it: go run ./cmd/jsload run examples/js/async.js
import { check } from 'jsload';

export const options = { vus: 2, iterations: 4 };

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function () {
  const started = Date.now();
  const [a, b] = await Promise.all([delay(30).then(() => 'a'), delay(20).then(() => 'b')]);
  check(Date.now() - started, { 'both waits ran in parallel': (ms) => ms < 45 + 200 });
  check(a + b, { 'results in order': (s) => s === 'ab' });
}
