// Each VU holds one WebSocket price stream open in a background script (the demo's
// /ws/prices, a tick every 100 ms) and publishes every price into its dictionary;
// the main flow sleeps. Compare with httppoll.js (the same prices, polled).
import { connect } from 'jsload/ws';
import { sleep } from 'jsload';
const WS = `ws${__ENV.BASE_URL.slice(4)}/ws/prices?symbol=BENCH`; // no RegExp: its prototype costs each runtime ~15 KB
export const options = { newBrowserEachIteration: false }; // the stream lasts as long as the VU
export function vuInit() {
  createBackgroundScript('stream', { exec: 'stream' });
}
export function stream() {
  const s = connect(WS);
  while (s.readyState === s.OPEN) {
    const m = s.receive('1s');
    if (m !== null) setString('lastPrice', m);
  }
}
export default function () { sleep(1); }
