// The dictionary calls as one VU sees them (README: "The VU data dictionary").
import { getString, setString, vu } from 'jsload';
import { cyclicTree, eq, nested, ok, throws } from 'jstest/assert';

export function typed() {
  setString('s', 'hello');
  setString('three', '3');
  setInteger('n', 42);
  setNumber('f', 2.5);
  setBoolean('b', true);
  set('obj', { a: [1, 'x', { deep: true }], n: null });
  eq(getString('s'), 'hello', 'getString');
  eq(getInteger('three'), 3, 'a "3" reads as integer 3');
  eq(getNumber('three'), 3, 'getNumber');
  eq(getString('n'), '42', 'an integer reads as "42"');
  eq(getNumber('f'), 2.5, 'getNumber f');
  eq(getBoolean('b'), true, 'getBoolean');
  setString('t', 'TRUE');
  eq(getBoolean('t'), true, '"TRUE" reads as true');
  const o = get('obj');
  eq(o, { a: [1, 'x', { deep: true }], n: null }, 'get returns JSON-like data');
  o.a.push('changed');
  eq(get('obj').a.length, 3, 'a read value must be a copy');
  eq(getString('missing', 'dflt'), 'dflt', 'default');
  eq(getInteger('missing', 7), 7, 'integer default');
  ok(hasKey('s') && !hasKey('missing'), 'hasKey');
  ok(removeKey('s') === true && !hasKey('s') && removeKey('s') === false, 'removeKey');
  ok(keys().includes('n') && keys().includes('obj'), 'keys ' + keys());
}

// Values that cannot be stored throw in the VU, naming the key and the place.
export function unstorable() {
  throws(() => set('tree', cyclicTree()),
    "value for 'tree' is cyclic (tree.children[0].parent refers back to tree): store an id instead", 'a cyclic value');
  throws(() => set('deep', nested(100000)), "value for 'deep' is nested more than 1000 levels deep at deep.a.a", 'a deep value');
  throws(() => set('cb', { on: { done: () => 1 } }), "value for 'cb' holds a function at cb.on.done", 'a function inside');
  throws(() => set('when', [new Date(0)]), "value for 'when' holds a Date at when[0]", 'a Date');
  throws(() => set('big', 1n), "value for 'big' holds a BigInt: store it as a string", 'a BigInt');
  ok(!hasKey('tree') && !hasKey('deep'), 'nothing is stored');
  const shared = { x: 1 };
  set('dag', [shared, { shared }]);
  eq(get('dag'), [{ x: 1 }, { shared: { x: 1 } }], 'an object reached twice is no cycle');
  set('ok', nested(999));
  ok(hasKey('ok'), 'a value 1000 levels deep is stored');
  set('boxed', [new String('s'), new Number(2), new Boolean(false)]);
  eq(get('boxed'), ['s', 2, false], 'boxed primitives are stored as primitives');
}

export function errors() {
  throws(() => getString('username'), /no value for key "username".*check options.data bindings/);
  setString('word', 'abc');
  throws(() => getInteger('word'), /key "word": cannot convert "abc" \(string\) to integer/);
  setNumber('half', 2.5);
  throws(() => getInteger('half'), /key "half": cannot convert 2.5 \(number\) to integer/);
  throws(() => setInteger('x', 'nope'), /key "x": cannot convert "nope"/);
  throws(() => set('fn', () => 1), "value for 'fn' holds a function: store data");
  const e = throws(() => waitForString('never', 30), /timed out after 30ms waiting for key "never"/);
  eq(e.name, 'TimeoutError', 'name');
  throws(() => waitForString('never', 'soon'), /invalid timeout "soon"/);
}

export function waits() {
  setString('ready', 'yes');
  eq(waitForString('ready'), 'yes', 'waitFor on an existing key returns at once');
  setTimeout(() => setInteger('later', 5), 20);
  // A wait blocks this runtime; the write comes from a background script.
  createBackgroundScript('writer', { exec: 'writer' });
  eq(waitForInteger('written', '30s'), 9, 'waitForInteger');
  const next = waitForChange('counter', '30s');
  eq(next, 2, 'waitForChange');
}

export function writer() {
  setInteger('counter', 1);
  setInteger('written', 9);
  sleep(0.05);
  setInteger('counter', 2);
}

export function standardKeys() {
  for (const k of ['testName', 'runNumber', 'runPath', 'scriptsPath', 'dataPath', 'projectName', 'userHome',
    'workspaceName', 'testSeriesName', 'cacheHome', 'downloadPath', 'tracePath', 'engineName', 'injectorName',
    'isLocalInjector', 'debug', 'vuId', 'vuIdInGroup', 'groupName', 'iteration']) {
    ok(hasKey(k), 'missing standard key ' + k);
  }
  eq(getInteger('vuId'), vu.id, 'vuId');
  eq(getString('engineName'), 'jsload', 'engineName');
  eq(getBoolean('isLocalInjector'), true, 'isLocalInjector');
}

export default function () {}
