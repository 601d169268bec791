// The `k6` module and k6's globals, written as a k6 script would; each exported
// test* function throws on failure. The Go test reads the metrics they record.
import { check, fail, group, randomSeed, sleep } from 'k6';
import k6 from 'k6';
import { clearTimeout as clearT, setInterval as setI, setTimeout as setT } from 'k6/timers';
import { crypto as webcrypto } from 'k6/experimental/webcrypto';
import { eq, ok, throws } from 'jstest/assert';

// open() in the init context: relative to this script, text or bytes.
const text = open('./users.txt');
const bytes = open('bytes.bin', 'b');
const again = open('users.txt');
const initVU = __VU;

export function testOpen() {
  eq(text, 'first line\nsecond line\n', 'text');
  ok(bytes instanceof ArrayBuffer, 'b gives an ArrayBuffer');
  eq(Array.from(new Uint8Array(bytes)), [0, 1, 254, 255], 'the bytes');
  eq(again, text, 'read again from the cache');
  throws(() => open('users.txt'), /init context only/, 'open() outside the init context');
}

export function testOpenErrors() {
  // The errors, reached through a module evaluated now (an init context).
  throws(() => require('./badopen.js'), /does not exist/, 'a missing file');
}

export function testGlobals() {
  eq(initVU, 3, '__VU in the init context');
  eq(__VU, 3, '__VU');
  eq(__ITER, 0, '__ITER');
  eq(typeof k6.check, 'function', 'default export');
}

// iterate runs as an iteration: __ITER follows the VU's iteration.
export function iterate() {
  if (__ITER !== 5) throw new Error(`__ITER is ${__ITER}, want 5`);
}

// testGroups: group() returns what its function returns, nests, and restores
// the tag; the Go test reads the group tags of the checks and group_duration.
export function testGroups() {
  const v = group('login', () => {
    check(1, { 'in login': (x) => x === 1 });
    group('form', () => {
      check(1, { 'in form': () => true });
    });
    return 42;
  });
  eq(v, 42, 'the return value');
  check(1, { outside: () => true }, { page: 'home' });
  throws(() => group('a::b', () => {}), /must not contain "::"/, 'a separator in the name');
  throws(() => group('x'), /needs a function/, 'no function');
  throws(() => group('async', async () => {}), /async function/, 'an async function');
  throws(() => group('throws', () => { throw new Error('boom'); }), /boom/, 'the exception goes on');
  check(1, { 'after throw': () => true });
}

export function testFailAndSleep() {
  throws(() => fail('nope'), 'nope', 'fail');
  const t = Date.now();
  sleep(0.01);
  ok(Date.now() - t >= 9, 'sleep');
}

export function testRandomSeed() {
  randomSeed(7);
  const a = [Math.random(), Math.random()];
  randomSeed(7);
  const b = [Math.random(), Math.random()];
  eq(a, b, 'the same seed, the same numbers');
  randomSeed(8);
  ok(Math.random() !== a[0], 'another seed');
}

// k6/timers and k6/experimental/webcrypto are jsload's globals.
export async function testTimersAndWebCrypto() {
  eq(setT, setTimeout, 'setTimeout');
  eq(webcrypto === crypto, true, 'crypto');
  let ticks = 0;
  await new Promise((resolve) => {
    const id = setI(() => {
      if (++ticks === 3) {
        clearInterval(id);
        resolve();
      }
    }, 1);
  });
  clearT(setT(() => { throw new Error('cleared timer ran'); }, 1));
  const digest = await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
  eq(new Uint8Array(digest)[0], 0xba, 'subtle works');
}
