// A module imported by URL (__ENV has nothing to do with it: the URL is written
// in the script by the test, as k6 scripts write jslib's).
import { greet } from 'REMOTE_URL';
import { check } from 'jsload';
export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };
export default function () {
  check(greet('k6'), { 'the remote module runs': (s) => s === 'hi k6 4' });
}
