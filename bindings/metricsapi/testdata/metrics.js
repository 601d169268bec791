// Custom metrics (jsload/metrics) and transactions as scripts record them; the Go
// test checks what reached the registry.
import { Trend, Counter, Rate, Gauge } from 'jsload/metrics';
import { ok, throws } from 'jstest/assert';

const cart = new Trend('cart_value');
const orders = new Counter('orders');
const hits = new Rate('cache_hits');
const depth = new Gauge('queue_depth');

export function custom() {
  cart.add(12.5, { shop: 'north' });
  orders.add(2);
  hits.add(true);
  hits.add(false);
  depth.add(4);
  throws(() => new Counter('cart_value'), /already a trend/, 'redefining a metric with another type');
}

export function transactions() {
  startTransaction('login');
  sleep(0.01);
  const ms = endTransaction('login');
  ok(ms >= 10, 'transaction lasted ' + ms);
  startTransaction('buy');
  endTransaction('buy', false);
  throws(() => endTransaction('never'), /no transaction "never" is open/, 'ending a transaction never started');
}

export default function () {}
