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

// Values a metric cannot record are dropped, each reported (the Go test counts
// the reports); numeric strings and booleans are numbers, as in k6.
const latency = new Trend('latency');
export function badValues() {
  latency.add(NaN);
  latency.add(Infinity);
  latency.add('abc');
  latency.add(undefined);
  latency.add(null);
  latency.add('12');
  latency.add(true);
  hits.add(Infinity);
  hits.add('nope');
  const tree = { name: 'root' };
  tree.self = tree;
  throws(() => latency.add(1, { tree }), 'Trend "latency": add(): tag "tree" is an object: a tag value is a string, a number or a boolean', 'a tag that is an object');
  throws(() => latency.add(1, { deep: [[[1]]] }), 'tag "deep" is an object', 'a tag that is an array');
  latency.add(3, { n: 1, b: false });
}

export default function () {}
