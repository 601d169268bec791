import { vu } from 'jsload';
export const options = { vus: 2, iterations: 10 };
export default function () {
  if (vu.iterationInGroup % 2 === 0) throw new Error('odd one out');
}
