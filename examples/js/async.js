// Timers, promises and async/await work inside an iteration: the iteration ends
// when the promise it returns settles and no timer it started is pending.
// Run it: go run ./cmd/jsload run examples/js/async.js
import { check } from 'jsload';

export const options = { vus: 2, iterations: 4 };

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function () {
  const started = Date.now();
  const [a, b] = await Promise.all([delay(30).then(() => 'a'), delay(20).then(() => 'b')]);
  // In parallel the waits take 30 ms, one after the other 50 ms: a check on the
  // wall clock that a busy machine cannot fail is a lower bound.
  check(Date.now() - started, { 'both waits ran': (ms) => ms >= 29 });
  check(a + b, { 'results in order': (s) => s === 'ab' });
}
