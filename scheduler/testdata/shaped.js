// The test's options come from the OPTIONS env var; each iteration logs its group,
// VU and group-wide number, then sleeps SLEEP seconds.
import { sleep, vu } from 'jsload';
export const options = JSON.parse(__ENV.OPTIONS);
export default function () {
  console.log(`it ${vu.group} ${vu.idInGroup} ${vu.iterationInGroup}`);
  sleep(Number(__ENV.SLEEP || 0));
}
