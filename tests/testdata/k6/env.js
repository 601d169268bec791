// __ENV with --include-system-env-vars: a variable of the process, and -e over it.
export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };
import { check } from 'jsload';
export default function () {
  check(__ENV, {
    'the system variable': (e) => e.JSLOAD_TEST_SYS === 'from-system',
    '-e wins': (e) => e.JSLOAD_TEST_BOTH === 'from-flag',
  });
}
