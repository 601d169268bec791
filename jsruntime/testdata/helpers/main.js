// The module forms whose esbuild output keeps some of esbuild's helpers once
// jsload has blanked the ones it provides or nothing uses (TestHelpersBlanked):
// each must still work.
import { eq } from 'jstest/assert';
import * as lib from './lib.js';
import fromCJS, { named } from './cjs.js';
export * from './lib.js';
export { twice as double } from './lib.js';

class Counter {
  static start = 10;
  count = Counter.start;
}

export function testReExport() {
  eq(lib.twice(2), 4, 'a namespace import');
  eq(Object.keys(lib).sort(), ['answer', 'twice'], 'the namespace lists the exports');
  eq(lib.answer, 42, 'a constant through the namespace');
}

export function testCommonJSDefault() {
  eq(fromCJS.named, 'cjs', 'the default import of a CommonJS module is its module.exports');
  eq(named, 'cjs', 'a named import of a CommonJS module');
}

export function testClassFields() {
  eq(new Counter().count, 10, 'an instance field initialised from a static one');
}

export function testSpread() {
  const a = { x: 1 };
  const b = { ...a, y: 2 };
  eq(b, { x: 1, y: 2 }, 'object spread');
  const { x, ...rest } = b;
  eq([x, rest], [1, { y: 2 }], 'object rest');
}

export async function testAsync() {
  const v = await Promise.resolve(3);
  eq(v, 3, 'an async function');
}
