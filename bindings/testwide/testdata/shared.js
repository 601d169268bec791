// The shared store as scripts see it. Each exported function is run by one or more
// VUs from script_test.go and throws on failure.
import { shared as imported, vu } from 'jsload';
import { cyclicTree, eq, nested, ok, throws } from 'jstest/assert';

ok(imported === shared, 'the jsload export and the global differ');

// Run by __ENV.N VUs; each adds 1 __ENV.TIMES times, and the last one to finish
// sees the total.
export function count() {
  const times = Number(__ENV.TIMES);
  let last = 0;
  for (let i = 0; i < times; i++) {
    const n = shared.increment('count');
    ok(n > last, `increment returned ${n} after ${last}`);
    last = n;
  }
  const done = shared.increment('finished');
  if (done === Number(__ENV.N)) {
    const total = shared.get('count');
    ok(total === Number(__ENV.N) * times, `count ${total}, want ${Number(__ENV.N) * times}`);
  }
}

export function values() {
  eq(shared.get('missing'), null, 'a missing key');
  eq(shared.get('missing', 7), 7, 'a missing key with a default');
  const order = { id: 1, items: ['apple'], paid: false };
  shared.set('order', order);
  order.items.push('pear');
  const got = shared.get('order');
  ok(JSON.stringify(got) === '{"id":1,"items":["apple"],"paid":false}', `stored a live object: ${JSON.stringify(got)}`);
  got.paid = true;
  eq(shared.get('order').paid, false, 'the stored object after changing the one read');
  shared.set('order', null);
  eq(shared.get('order', 'gone'), 'gone', 'a key set to null');
  eq(shared.increment('stock', 10), 10, 'increment of a missing key by 10');
  eq(shared.increment('stock', -1), 9, 'increment by -1');
  eq(shared.increment('price', 2.5), 2.5, 'increment by 2.5');
  shared.set('name', 'shop');
  throws(() => shared.increment('name'), 'shared.increment("name"): the value is the string "shop", not a number');
  throws(() => shared.increment('stock', 'two'), 'shared.increment("stock"): the increment the string "two" is not a number');
  throws(() => shared.increment('stock', NaN), 'shared.increment("stock"): the increment NaN is not a finite number');
  throws(() => shared.set('fn', () => 1), 'shared.set("fn"): value for \'fn\' holds a function: store data');
  throws(() => shared.get(), 'shared.get: the key is missing');
  eq(shared.get('stock'), 9, 'the value after failed increments');
}

// Values that cannot be stored throw in the VU, naming the key or list.
export function unstorable() {
  throws(() => shared.set('tree', cyclicTree()),
    `shared.set("tree"): value for 'tree' is cyclic (tree.children[0].parent refers back to tree): store an id instead`, 'set a cyclic value');
  throws(() => shared.push('trees', cyclicTree()),
    `shared.push("trees"): value for 'trees' is cyclic (trees.children[0].parent refers back to trees)`, 'push a cyclic value');
  throws(() => shared.set('deep', nested(100000)), "value for 'deep' is nested more than 1000 levels deep", 'set a deep value');
  throws(() => shared.push('deeps', [nested(5000)]), "value for 'deeps' is nested more than 1000 levels deep at deeps[0].a", 'push a deep value');
  eq([shared.get('tree'), shared.size('trees'), shared.get('deep'), shared.size('deeps')], [null, 0, null, 0], 'nothing is stored');
}

export function lists() {
  eq(shared.size('queue'), 0, 'the size of a new list');
  ['a', 'b', { c: 3 }].forEach((v) => shared.push('queue', v));
  ok(shared.size('queue') === 3, `size ${shared.size('queue')}, want 3`);
  eq(shared.get('queue'), null, 'a value named as a list');
  ok(shared.pop('queue') === 'a' && shared.pop('queue') === 'b', 'pop is not FIFO');
  eq(shared.pop('queue').c, 3, 'an object pushed and popped');
  const begin = Date.now();
  eq(shared.pop('queue', '40ms'), null, 'pop on an empty list, timed out');
  ok(Date.now() - begin >= 35, `pop timed out after ${Date.now() - begin} ms, want 40`);
  throws(() => shared.push('queue', null), 'shared.push("queue"): null and undefined cannot be pushed');
  throws(() => shared.pop('queue', 'soon'), 'shared.pop("queue"): invalid timeout "soon"');
  throws(() => shared.size(), 'shared.size: the list name is missing');
}

// VU 1 produces __ENV.TOKENS tokens, then one "done" for each of the
// __ENV.CONSUMERS other VUs, which wait for them with pop and check that each
// sees them in order. Together they take every token once. The timeout only
// ends the wait of a consumer whose tokens never come.
export function tokens() {
  const n = Number(__ENV.TOKENS);
  if (vu.id === 1) {
    for (let i = 0; i < n; i++) shared.push('tokens', i);
    for (let i = 0; i < Number(__ENV.CONSUMERS); i++) shared.push('tokens', 'done');
    return;
  }
  let last = -1;
  for (;;) {
    const t = shared.pop('tokens', '30s');
    ok(t !== null, `VU ${vu.id} waited 30 s for a token`);
    if (t === 'done') break;
    ok(t > last, `VU ${vu.id} got token ${t} after ${last}`);
    last = t;
    shared.increment('taken');
    shared.increment('sum', t);
  }
}

export function tokensTaken() {
  const n = Number(__ENV.TOKENS);
  ok(shared.get('taken') === n, `${shared.get('taken')} tokens taken, want ${n}`);
  ok(shared.get('sum') === (n * (n - 1)) / 2, `tokens taken twice or lost: sum ${shared.get('sum')}`);
}

export function popForever() {
  shared.pop('nothing');
  throw new Error('pop returned from a list nobody pushes to');
}

// Adds 1 getInteger('n') times: the body of the increment benchmark.
export function incN() {
  const n = getInteger('n');
  for (let i = 0; i < n; i++) shared.increment('bench');
}

// A background script of the VU produces; the main script consumes.
export function fromBackground() {
  createBackgroundScript('producer', { exec: 'produceInBackground' });
  for (let i = 0; i < 5; i++) {
    const v = shared.pop('bg', '2s');
    ok(v === i, `popped ${v}, want ${i}`);
  }
  eq(waitForBackgroundScriptToFinish('producer', '2s'), true, 'the producer finished');
  ok(backgroundScriptError('producer') === null, `producer failed: ${backgroundScriptError('producer')}`);
}

export function produceInBackground() {
  for (let i = 0; i < 5; i++) shared.push('bg', i);
}
