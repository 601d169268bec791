// Each VU polls the demo's /price in a looping background script every 100 ms (the
// rate at which /ws/prices pushes) and publishes it into its dictionary; the main
// flow sleeps. Compare with wsstream.js.
import http from 'jsload/http';
import { sleep } from 'jsload';
const URL = `${__ENV.BASE_URL}/price?symbol=BENCH`;
export const options = { newBrowserEachIteration: false }; // the poller lasts as long as the VU
export function vuInit() {
  createBackgroundScript('poller', { exec: 'poll' }, { loop: true, pause: '100ms' });
}
export function poll() { setString('lastPrice', http.get(URL).body); }
export default function () { sleep(1); }
