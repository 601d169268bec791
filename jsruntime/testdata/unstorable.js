// Values that cannot cross runtimes: setup() data that JSON cannot hold, and
// console output of values JSON cannot show.
import { cyclicTree, nested } from 'jstest/assert';

export function cyclicSetup() { return { tree: cyclicTree() }; }
export function deepSetup() { return nested(20000); }

export function logs() {
  let deep = [];
  for (let i = 0; i < 200000; i++) deep = [deep];
  console.log('tree', cyclicTree(), 'deep', deep, 'ok', { a: 1 });
}

export default function () {}
