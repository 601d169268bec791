// The dictionary calls as one VU sees them (README: "The VU data dictionary").
import { getString, setString, vu } from 'jsload';
import { eq, ok, throws } from 'jstest/assert';

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

export function errors() {
  throws(() => getString('username'), /no value for key "username".*check options.data bindings/);
  setString('word', 'abc');
  throws(() => getInteger('word'), /key "word": cannot convert "abc" \(string\) to integer/);
  setNumber('half', 2.5);
  throws(() => getInteger('half'), /key "half": cannot convert 2.5 \(number\) to integer/);
  throws(() => setInteger('x', 'nope'), /key "x": cannot convert "nope"/);
  throws(() => set('fn', () => 1), /a function cannot be stored/);
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
