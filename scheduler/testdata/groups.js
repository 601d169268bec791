import { sleep, vu } from 'jsload';
export const options = {
  groups: {
    a: { executor: 'per-vu-iterations', vus: 2, iterations: 3, exec: 'a', env: { WHO: 'alpha' }, tags: { kind: 'web' } },
    b: { executor: 'shared-iterations', vus: 3, iterations: 7, vuInit: 'bInit', vuEnd: 'bEnd' },
  },
};
export function vuInit() { console.log(`init ${vu.group} ${vu.id} ${vu.idInGroup} ${__ENV.WHO}`); }
export function vuEnd() { console.log(`end ${vu.group} ${vu.id}`); }
export function bInit() { console.log(`binit ${vu.group} ${vu.id} ${vu.idInGroup}`); }
export function bEnd() { console.log(`bend ${vu.id}`); }
export function a() { console.log(`it a ${vu.iterationInGroup}`); sleep(0.1); }
export default function () { console.log(`it b ${vu.iterationInGroup}`); sleep(0.1); }
