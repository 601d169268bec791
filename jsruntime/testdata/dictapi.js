// The dictionary calls of SPEC §2.1 as one VU sees them.
import { getString, setString, vu } from 'jsload';

function expect(cond, msg) { if (!cond) throw new Error(msg); }
function throws(fn, re) {
  try { fn(); } catch (e) { expect(re.test(e.message), `wrong error: ${e.message}`); return e; }
  throw new Error('no error from ' + fn);
}

export function typed() {
  setString('s', 'hello');
  setString('three', '3');
  setInteger('n', 42);
  setNumber('f', 2.5);
  setBoolean('b', true);
  set('obj', { a: [1, 'x', { deep: true }], n: null });
  expect(getString('s') === 'hello', 'getString');
  expect(getInteger('three') === 3, 'a "3" reads as integer 3');
  expect(getNumber('three') === 3, 'getNumber');
  expect(getString('n') === '42', 'an integer reads as "42"');
  expect(getNumber('f') === 2.5, 'getNumber f');
  expect(getBoolean('b') === true, 'getBoolean');
  setString('t', 'TRUE');
  expect(getBoolean('t') === true, '"TRUE" reads as true');
  const o = get('obj');
  expect(o.a[2].deep === true && o.a[1] === 'x' && o.n === null, 'get returns JSON-like data ' + JSON.stringify(o));
  o.a.push('changed');
  expect(get('obj').a.length === 3, 'a read value must be a copy');
  expect(getString('missing', 'dflt') === 'dflt', 'default');
  expect(getInteger('missing', 7) === 7, 'integer default');
  expect(hasKey('s') && !hasKey('missing'), 'hasKey');
  expect(removeKey('s') === true && !hasKey('s') && removeKey('s') === false, 'removeKey');
  expect(keys().includes('n') && keys().includes('obj'), 'keys ' + keys());
}

export function errors() {
  throws(() => getString('username'), /no value for key "username".*check options.data bindings/);
  setString('word', 'abc');
  throws(() => getInteger('word'), /key "word": cannot convert "abc" \(string\) to integer/);
  setNumber('half', 2.5);
  throws(() => getInteger('half'), /key "half": cannot convert 2.5 \(number\) to integer/);
  throws(() => setInteger('x', 'nope'), /key "x": cannot convert "nope"/);
  throws(() => set('fn', () => 1), /a function cannot be stored/);
  const e = throws(() => waitForString('never', 30), /timed out after 30ms waiting for key "never"/);
  expect(e.name === 'TimeoutError', 'name ' + e.name);
  throws(() => waitForString('never', 'soon'), /invalid timeout "soon"/);
}

export function waits() {
  setString('ready', 'yes');
  expect(waitForString('ready') === 'yes', 'waitFor on an existing key returns at once');
  setTimeout(() => setInteger('later', 5), 20);
  // A wait blocks this runtime; the write comes from a background script.
  createBackgroundScript('writer', { exec: 'writer' });
  expect(waitForInteger('written', '30s') === 9, 'waitForInteger');
  const next = waitForChange('counter', '30s');
  expect(next === 2, 'waitForChange got ' + next);
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
    expect(hasKey(k), 'missing standard key ' + k);
  }
  expect(getInteger('vuId') === vu.id, 'vuId');
  expect(getString('engineName') === 'jsload', 'engineName');
  expect(getBoolean('isLocalInjector') === true, 'isLocalInjector');
}

export function metricsAndTransactions() {
  startTransaction('login');
  sleep(0.01);
  const ms = endTransaction('login');
  expect(ms >= 10, 'transaction lasted ' + ms);
  startTransaction('buy');
  endTransaction('buy', false);
  throws(() => endTransaction('never'), /no transaction "never" is open/);
}

export default function () {}
