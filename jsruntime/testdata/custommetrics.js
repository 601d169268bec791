import { Trend, Counter, Rate, Gauge } from 'jsload/metrics';

const cart = new Trend('cart_value');
const orders = new Counter('orders');
const hits = new Rate('cache_hits');
const depth = new Gauge('queue_depth');

export default function () {
  cart.add(12.5, { shop: 'north' });
  orders.add(2);
  hits.add(true);
  hits.add(false);
  depth.add(4);
  let threw = false;
  try { new Counter('cart_value'); } catch (e) { threw = /already a trend/.test(e.message); }
  if (!threw) throw new Error('redefining a metric with another type must throw');
}
