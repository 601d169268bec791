import { sleep, vu } from 'jsload';
export const options = { gracefulStop: '1s' };
export function vuInit() { console.log(`vuInit ${vu.id}`); }
export default function () { sleep(0.2); }
export function vuEnd() { console.log(`vuEnd ${vu.id}`); }
