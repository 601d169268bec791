// newBrowserEachIteration as the scheduler applies it: each iteration logs the
// cookies it sends, the status of vuInit's background scripts, its dictionary
// and data row, and whether its first request opened a connection.
import http from 'jsload/http';
import { vu } from 'jsload';

export const options = JSON.parse(__ENV.OPTIONS);
const BASE = __ENV.BASE;

export function vuInit() {
  createBackgroundScript('ticker', { exec: 'tick' }, { loop: true, pause: '1ms' }); // stop: 'vu'
  createBackgroundScript('forever', { exec: 'tick' }, { loop: true, pause: '1ms', stop: 'never' });
  setString('fromInit', 'kept');
  http.get(`${BASE}/set?name=init`);
}

export function tick() {
  const key = `ticks.${backgroundScriptId}`;
  setInteger(key, getInteger(key, 0) + 1);
}

// status is the script's status; a running one must tick during the iteration.
function status(id) {
  const st = getBackgroundScriptStatus(id);
  if (st === 'running') waitForChange(`ticks.${id}`, '30s');
  return st;
}

export default function () {
  const n = vu.iteration;
  const first = http.get(`${BASE}/cookies`);
  const cookies = Object.keys(first.json()).sort().join(',');
  console.log(`vu ${vu.idInGroup} iteration ${n}: cookies [${cookies}], ticker ${status('ticker')}, forever ${status('forever')}, ` +
    `dictionary ${getString('fromInit', 'gone')} ${getString('fromIteration', 'none')}, row ${getString('user', '?')}, ` +
    `new connection ${first.timings.connecting > 0}`);
  http.get(`${BASE}/set?name=it${n}`);
  setString('fromIteration', `it${n}`);
}
