// Sockets that never close on their own, in iterations and in background scripts:
// Ctrl+C must still end the run within its gracefulStop (streams_test.go).
import { connect, WebSocket } from 'jsload/ws';
import { EventSource } from 'jsload/sse';
import { vu } from 'jsload';

export const options = { vus: 2, duration: '10m', gracefulStop: '1s', newBrowserEachIteration: false };
const BASE = __ENV.BASE_URL;
const WS = `ws${BASE.slice(4)}`;

export function vuInit() {
  createBackgroundScript('stream', { exec: 'stream' });
  createBackgroundScript('feed', { exec: 'feed' });
}

export function stream() {
  const s = connect(`${WS}/ws/prices?symbol=BG`);
  while (s.readyState === s.OPEN) s.receive('1s');
}

export function feed() {
  const es = new EventSource(`${BASE}/sse/prices?symbol=FEED`);
  es.addEventListener('price', () => {});
}

export default function () {
  const s = new WebSocket(`${WS}/ws/prices?symbol=MAIN`);
  let said = false;
  s.onmessage = () => {
    if (!said) console.log(`streaming in VU ${vu.id}`);
    said = true;
  };
}
