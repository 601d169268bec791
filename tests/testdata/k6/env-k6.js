// A k6 script sees the process's environment in __ENV by default, as in k6; -e wins.
import { check } from 'k6';
export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };
export default function () {
  check(__ENV, {
    'the system variable': (e) => e.JSLOAD_TEST_SYS === 'from-system',
    '-e wins': (e) => e.JSLOAD_TEST_BOTH === 'from-flag',
  });
}
