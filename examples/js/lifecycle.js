// The life of a test: setup() once, vuInit() once per VU, the default function
// once per iteration, vuEnd() once per VU, teardown() once.
// Run it: go run ./cmd/jsload run examples/js/lifecycle.js
import { check, sleep, vu } from 'jsload';

export const options = { vus: 3, iterations: 9 };

export function setup() {
  // Its JSON-like result reaches every VU as `data`.
  return { startedAt: Date.now(), products: ['apple', 'pear', 'plum'] };
}

export function vuInit(data) {
  console.log(`VU ${vu.id} ready, ${data.products.length} products known`);
}

export default function (data) {
  const product = data.products[vu.iteration % data.products.length];
  check(product, {
    'product has a name': (p) => p.length > 0,
    'product is known': (p) => data.products.includes(p),
  });
  sleep(0.05);
}

export function vuEnd() {
  console.log(`VU ${vu.id} done after ${vu.iteration + 1} iterations`);
}

export function teardown(data) {
  console.log(`test ran for ${Date.now() - data.startedAt} ms`);
}
