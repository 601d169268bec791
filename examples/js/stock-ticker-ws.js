// A stock-ticker page as a real browser runs it: a WebSocket price stream held
// open in the background while the user browses and buys. Each VU's background
// script keeps one socket to the demo's /ws/prices for the VU's whole life and
// publishes every price into the VU dictionary; the main script browses, waits
// for the next price (waitForChange) and buys at it, pausing the stream through
// a synchronisation point while it checks out. k6 cannot express this: its
// socket handlers do not run while the VU's main code sleeps or makes requests.
// Run it: go run ./cmd/jsload run --demo examples/js/stock-ticker-ws.js
import http from 'jsload/http';
import { connect } from 'jsload/ws';
import { check, sleep, vu } from 'jsload';

const BASE = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const WS = BASE.replace(/^http/, 'ws');

export const options = {
  vus: 3,
  iterations: 9,
  newBrowserEachIteration: false, // one browser per VU: its stream lasts as long as the VU
  thresholds: { ws_connecting: ['p(95)<1000'], ws_msgs_received: ['count>0'] },
};

export function vuInit() {
  setSynchronizationPoint('streaming'); // set: stream; unset: paused
  // stop: 'vu' (the default): at the VU's end a stop request closes the socket
  // (1001), receive() returns null and the loop below ends.
  createBackgroundScript('prices', { exec: 'priceStream' }, { args: { symbol: 'ACME' } });
}

// The background script: one socket for the VU's life, read in a blocking loop.
export function priceStream({ symbol }) {
  const socket = connect(`${WS}/ws/prices?symbol=${symbol}`, { tags: { name: 'prices' } });
  while (socket.readyState === socket.OPEN) {
    const msg = socket.receive('1s'); // null on timeout, or once the socket has closed
    if (msg === null) continue;
    const tick = JSON.parse(msg);
    if (tick.ack) continue; // the server confirming a pause or a resume
    setInteger('tickSeq', tick.seq);
    setString('lastPrice', String(tick.price));
    pauseWhileCheckingOut(socket);
  }
}

// While the main script has the point unset, tell the server to pause and wait.
function pauseWhileCheckingOut(socket) {
  try {
    waitForSynchronizationPoint('streaming', '1ms');
    return; // streaming
  } catch (e) {
    if (e.name !== 'TimeoutError') throw e;
  }
  socket.send(JSON.stringify({ action: 'pause' }));
  while (!stopRequested()) {
    try {
      waitForSynchronizationPoint('streaming', '200ms');
      break;
    } catch (e) {
      if (e.name !== 'TimeoutError') throw e;
    }
  }
  socket.send(JSON.stringify({ action: 'resume' }));
}

export default function () {
  const list = http.get(`${BASE}/products`, { tags: { name: 'products' } });
  check(list, { 'catalogue loaded': (r) => r.status === 200 });
  const price = Number(waitForChange('lastPrice', '5s')); // the next tick, pushed by the stream
  unsetSynchronizationPoint('streaming'); // pause the stream while checking out
  sleep(0.15); // the user reviews the order: the next tick arrives meanwhile and pauses the stream
  const res = http.post(`${BASE}/buy`, { symbol: 'ACME', price: String(price) }, { tags: { name: 'buy' } });
  setSynchronizationPoint('streaming');
  check(res, { 'bought at the streamed price': (r) => r.status === 200 && r.json().price === price });
  console.log(`VU ${vu.id} bought at ${price} (tick ${getInteger('tickSeq')})`);
}

export function vuEnd() {
  check(getBackgroundScriptStatus('prices'), { 'price stream closed with the VU': (s) => s === 'completed' });
}
