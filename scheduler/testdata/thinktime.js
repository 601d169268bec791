import { pause, sleep } from 'jsload';
export const options = { vus: 2, iterations: 6 };
export default function () { sleep(2); pause(1, 1); }
