// An empty iteration; the test's options come from the OPTIONS env var.
import { sleep } from 'jsload';
export const options = JSON.parse(__ENV.OPTIONS || '{}');
export default function () { if (__ENV.SLEEP) sleep(Number(__ENV.SLEEP)); }
