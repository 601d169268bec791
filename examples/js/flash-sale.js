// A flash sale: shoppers arrive (the VUs ramp up), browse, then wait at a
// rendezvous until every shopper running at that moment is there, and press "buy"
// at the same moment. The stock, the orders and the
// receipts live in the test-wide shared store, so every VU sees the same ones and
// the stock is never oversold, however many buy at once.
// Run it: go run ./cmd/jsload run examples/js/flash-sale.js
import { check, rendezvous, shared, sleep, vu } from 'jsload';

const STOCK = 50; // fewer items than attempts: the last buyers find it sold out

// Shoppers ramp up to 20, stay, and leave; VUs ramped down leave the rendezvous
// cleanly, so no wave waits for a shopper who is gone.
export const options = {
  stages: [
    { duration: '1s', target: 20 },
    { duration: '1s', target: 20 },
    { duration: '500ms', target: 0 },
  ],
};

export function setup() {
  shared.set('stock', STOCK);
}

export default function () {
  sleep(Math.random() * 0.2); // browse: shoppers reach the sale at different times

  // Block until every running shopper has arrived, then release them together.
  // The timeout only guards against a shopper that never comes.
  const sale = rendezvous('sale opens', { percent: 100, timeout: '2s' });
  check(sale, { 'shoppers press buy together': (s) => s.arrived >= 1 && s.waited >= 0 });

  // increment is atomic: each buyer gets a distinct number of items left.
  shared.increment('attempts');
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
    'every other attempt found it sold out': (n) => n + shared.get('sold out', 0) === shared.get('attempts'),
  });
  check(receipts, {
    'one receipt per order, none twice': (r) => r.length === STOCK && orders.size === STOCK,
  });
  console.log(`sold ${orders.size} items to ${new Set(receipts.map((r) => r.vu)).size} shoppers`);
}
