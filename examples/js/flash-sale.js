// A flash sale: shoppers browse, then wait at a rendezvous until all of them are
// there and press "buy" at the same moment. The stock, the orders and the
// receipts live in the test-wide shared store, so every VU sees the same ones and
// the stock is never oversold, however many buy at once.
// Run it: go run ./cmd/jsload run examples/js/flash-sale.js
import { check, rendezvous, shared, sleep, vu } from 'jsload';

const SHOPPERS = 20;
const ROUNDS = 3; // each shopper tries to buy three times
const STOCK = 50; // fewer items than the 60 attempts: the last buyers find it sold out

// 60 iterations shared by 20 VUs: each wave of the rendezvous gathers all 20.
export const options = { vus: SHOPPERS, iterations: SHOPPERS * ROUNDS };

export function setup() {
  shared.set('stock', STOCK);
}

export default function () {
  sleep(Math.random() * 0.2); // browse: shoppers reach the sale at different times

  // Block until all shoppers have arrived, then release them together. The timeout
  // only guards against a shopper that never comes.
  const sale = rendezvous('sale opens', { count: SHOPPERS, timeout: '2s' });
  check(sale, {
    'all shoppers press buy together': (s) => s.released === 'count' && s.arrived === SHOPPERS,
  });

  // increment is atomic: each buyer gets a distinct number of items left.
  const left = shared.increment('stock', -1);
  if (left >= 0) {
    const order = shared.increment('orders');
    shared.push('receipts', { order, vu: vu.id });
  } else {
    shared.increment('sold out');
  }
}

export function teardown() {
  const receipts = [];
  while (shared.size('receipts') > 0) receipts.push(shared.pop('receipts'));
  const orders = new Set(receipts.map((r) => r.order));
  check(shared.get('orders'), {
    'exactly the stock was sold': (n) => n === STOCK,
    'every other attempt found it sold out': (n) => n + shared.get('sold out', 0) === SHOPPERS * ROUNDS,
  });
  check(receipts, {
    'one receipt per order, none twice': (r) => r.length === STOCK && orders.size === STOCK,
  });
  console.log(`sold ${orders.size} items to ${new Set(receipts.map((r) => r.vu)).size} shoppers`);
}
