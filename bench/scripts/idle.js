// Idle VUs: each iteration sleeps one second.
import { sleep } from 'jsload';
export default function () { sleep(1); }
