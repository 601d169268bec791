// The flow and identity calls (sleep, pause, check, fail, abortTest, vu), one
// function per case; each throws on failure. The Go test adds what only it sees.
import { sleep as imported, vu as importedVU } from 'jsload';
import { eq, ok, throws } from 'jstest/assert';

function took(fn) {
  const begin = performance.now();
  fn();
  return performance.now() - begin;
}

export function sleeps() {
  eq(imported, sleep, 'the jsload export and the global');
  const ms = took(() => sleep(0.02));
  ok(ms >= 20, `sleep(0.02) took ${ms} ms`);
  for (const s of [0, -1, NaN, undefined]) sleep(s); // returns at once
}

// thinkTimeOff runs with a think-time factor of 0: no sleep or pause waits.
export function thinkTimeOff() {
  sleep(3600);
  pause(3600, 7200);
}

export function pauses() {
  let ms = took(() => pause(0.01, 0.02));
  ok(ms >= 10, `pause(0.01, 0.02) took ${ms} ms`);
  ms = took(() => pause(0.02, 0.01)); // bounds in either order
  ok(ms >= 10, `pause(0.02, 0.01) took ${ms} ms`);
  ms = took(() => pause(0.01));
  ok(ms >= 10, `pause(0.01) took ${ms} ms`);
}

// checks records 'is 200' passed twice and 'fast' failed once (the Go test reads
// the checks metric).
export function checks() {
  const r = { status: 200, ms: 500 };
  eq(check(r, { 'is 200': (x) => x.status === 200 }), true, 'a passing check');
  eq(check(r, { 'is 200': (x) => x.status === 200, fast: (x) => x.ms < 100 }), false, 'a failing check');
  eq(check(r, {}), true, 'no checks');
  eq(check(r, { constant: 1 }), true, 'a non-function check is its truth');
  throws(() => check(r, 'is 200'), /needs an object of named checks/, 'a check without checks');
  throws(() => check(r, { boom: () => { throw new Error('inside'); } }), /inside/, 'a throwing check');
}

export function fails() {
  const e = throws(() => fail('out of stock'), 'out of stock', 'fail(msg)');
  ok(e instanceof Error, 'fail throws an Error');
  throws(() => fail(), 'fail() called', 'fail()');
}

// failIteration fails: the Go test expects its message back.
export function failIteration() {
  fail('no seats left');
}

// abort calls abortTest: nothing after it runs.
export function abort() {
  abortTest('payment service down');
  setString('after', 'ran');
}

export function identity() {
  eq(importedVU, vu, 'the jsload export and the global');
  eq([vu.id, vu.idInGroup, vu.group], [4, 4, 'default'], 'id, idInGroup, group');
  eq(Object.keys(vu), ['id', 'idInGroup', 'group', 'iteration', 'iterationInGroup'], 'keys');
  vu.id = 99;
  eq(vu.id, 4, 'vu is read-only');
}

// iteration is iterated by the Go test as iteration 6, number 16 in its group.
export function iteration() {
  eq([vu.iteration, vu.iterationInGroup], [6, 16], 'iteration, iterationInGroup');
}

export default function () {}
