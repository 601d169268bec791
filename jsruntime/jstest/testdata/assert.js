// assert.js checked from a script, and what jstest's Go tests look at.
import { shared } from 'jsload';
import { eq, ok, throws } from 'jstest/assert';

shared.increment('built'); // once per VU built

// failsWith calls fn and throws unless it threw an Error with message msg.
function failsWith(fn, msg) {
  let got = '(nothing thrown)';
  try {
    fn();
  } catch (e) {
    got = e.message;
  }
  if (got !== msg) throw new Error(`threw ${got}, want ${msg}`);
}

export function asserts() {
  eq({ a: [1, 'x'], b: null }, { a: [1, 'x'], b: null }, 'equal data');
  ok(1, 'a truthy value');
  failsWith(() => eq(1, 2, 'one'), 'one: got 1, want 2');
  failsWith(() => eq({ a: 1 }, { a: '1' }), 'got {"a":1}, want {"a":"1"}');
  failsWith(() => ok(0, 'zero'), 'zero');
  failsWith(() => ok(false), 'not ok');

  const e = throws(() => { throw new TypeError('bad thing'); }, /TypeError: bad/, 'a RegExp');
  if (!(e instanceof TypeError)) throw new Error('throws did not return the error');
  throws(() => { throw new Error('out of stock'); }, 'of stock', 'a string');
  failsWith(() => throws(() => {}, 'x', 'quiet'), 'quiet: no error, want x');
  failsWith(() => throws(() => { throw new Error('other'); }, /mine/, 'wrong'), 'wrong: threw "Error: other", want /mine/');
  failsWith(() => throws(() => { throw new Error('other'); }, 'mine', 'wrong'), 'wrong: threw "Error: other", want mine');
}

// failsHere fails on line 36, where the assertion is called.
export function failsHere() {
  eq(1, 2, 'located');
}

export function allBuilt() {
  eq(shared.get('built'), Number(__ENV.N), 'VUs built when the first one runs');
}
