import { sleep, vu } from 'jsload';
export const options = { vus: 3, iterations: 3 };
if (vu.id > 0) sleep(1.5); // VU initialisation (the top level) takes 1.5s
export default function () {}
