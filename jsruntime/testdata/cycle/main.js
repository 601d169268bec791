// Import cycles, which must load and run with the semantics of ES modules and of
// Node's CommonJS: a module in a cycle sees the other's exports as they stand.
import { eq, ok, throws } from 'jstest/assert';
import { a, aName, bump } from './a.js';
import { counterSeenByB, b } from './b.js';
import { fromX } from './lib/x.js';
const cjs = require('./cjs_a.js');

// An ES module cycle: a.js imports b.js, which imports a.js.
export function testESM() {
  eq(a(), 'a sees b', 'a reads an export of b');
  eq(b(), 'b sees a', 'b reads an export of a, live, after both loaded');
  bump();
  eq(counterSeenByB(), 1, 'b reads a live binding of a');
  eq(aName, 'a');
}

// b.js's top level ran while a.js was still loading: a function declaration of a
// was callable (hoisted), a const not yet (temporal dead zone, as in ES modules).
// (Unlike ES modules, a's own imports are not bound yet then: esbuild's CommonJS
// output binds them as a's top level runs.)
export function testPartialAtLoad() {
  const seen = globalThis.__cycleSeen;
  eq(seen.hoisted, 'hello from a', 'a hoisted function of a, from b at load');
  ok(seen.tdz.startsWith('ReferenceError'), `a const of a, from b at load: ${seen.tdz}`);
}

// A CommonJS cycle: cjs_b.js gets cjs_a.js's exports object as it stood.
export function testCommonJS() {
  eq(cjs.sawB, { early: true, late: 'missing' }, 'cjs_b sees what cjs_a exported before requiring it');
  eq(cjs.b.sawA, { early: true }, 'cjs_a sees what cjs_b exported');
}

// Two modules of a library folder that import each other.
export function testLibrary() {
  eq(fromX(), 'x calls y calls x');
}

export default function () {}
