// k6/websockets as k6 scripts use it, against the demo target.
import { WebSocket } from 'k6/websockets';
import { eq, throws } from 'jstest/assert';

const WS = __ENV.BASE_URL.replace('http', 'ws');

export function testEcho() {
  const seen = [];
  const s = new WebSocket(`${WS}/ws/echo`);
  s.binaryType = 'arraybuffer';
  s.onopen = () => { s.send('hi'); s.send(new Uint8Array([1, 2]).buffer); };
  s.addEventListener('message', (e) => {
    seen.push(typeof e.data === 'string' ? e.data : Array.from(new Uint8Array(e.data)).join('+'));
    if (seen.length === 2) s.close();
  });
  s.onclose = (e) => {
    eq([seen, e.code, s.readyState], [['hi', '1+2'], 1000, WebSocket.CLOSED]);
  };
}

export function testPrices() {
  const s = new WebSocket(`${WS}/ws/prices?symbol=WS&limit=2`);
  let n = 0;
  s.onmessage = (e) => { n++; eq(JSON.parse(e.data).symbol, 'WS'); };
  s.onclose = (e) => eq([n, e.code, e.reason], [2, 1000, 'limit reached']);
}

export function testErrors() {
  const open = new WebSocket(`${WS}/ws/echo`);
  throws(() => { open.binaryType = 'blob'; }, /NotSupportedError/);
  open.close(); // an open socket keeps the function running
  const s = new WebSocket(`${WS}/products`);
  let err = '';
  s.onerror = (e) => { err = e.error; };
  s.onclose = () => eq(err.includes('instead of 101'), true);
}
