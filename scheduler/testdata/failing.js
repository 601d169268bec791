import { check, vu } from 'jsload';
export default function () {
  check(vu.iteration, { 'even': (i) => i % 2 === 0 });
  if (vu.iteration % 3 === 0) throw new Error('every third');
}
