import { next } from './lib/counter.js';
import { vu } from 'jsload';

let iterations = 0;
export default function () {
  iterations += 1;
  const got = next();
  if (got !== iterations) throw new Error(`VU ${vu.id}: module counter ${got} != ${iterations}: module state leaked between runtimes`);
  if (vu.iteration !== iterations - 1) throw new Error(`vu.iteration ${vu.iteration}, want ${iterations - 1}`);
  if (__ENV.WHO !== 'tester') throw new Error('__ENV.WHO missing');
}
