// The same ticker page with a Server-Sent Events feed: each VU's background
// script opens an EventSource on the demo's /sse/prices and publishes every
// "price" event into the VU dictionary from its handler, while the main script
// waits for the next price and buys at it. The server ends the response every
// 3 events; EventSource reconnects with Last-Event-ID and the server replays
// what was missed, so the feed has no gap (checked at the VU's end).
// Run it: go run ./cmd/jsload run --demo examples/js/stock-ticker-sse.js
import http from 'jsload/http';
import { EventSource } from 'jsload/sse';
import { check, sleep } from 'jsload';

const BASE = __ENV.BASE_URL || 'http://127.0.0.1:8080';

export const options = { vus: 3, iterations: 12, newBrowserEachIteration: false }; // the feed lasts as long as the VU

export function vuInit() {
  createBackgroundScript('feed', { exec: 'priceFeed' });
}

// The background script returns at once; its EventSource keeps it running
// until the VU ends (the stop request closes the feed).
export function priceFeed() {
  const feed = new EventSource(`${BASE}/sse/prices?symbol=ACME&limit=3`, { tags: { name: 'prices' } });
  let last = -1;
  feed.onopen = () => setInteger('connections', getInteger('connections', 0) + 1);
  feed.addEventListener('price', (e) => {
    const tick = JSON.parse(e.data);
    if (last >= 0 && tick.seq !== last + 1) setInteger('gaps', getInteger('gaps', 0) + 1);
    last = tick.seq;
    setString('lastPrice', String(tick.price));
  });
  feed.onerror = (e) => {
    if (feed.readyState === EventSource.CLOSED) console.error(`price feed closed: ${e.message}`);
  };
}

export default function () {
  const price = Number(waitForChange('lastPrice', '5s'));
  const res = http.post(`${BASE}/buy`, { symbol: 'ACME', price: String(price) }, { tags: { name: 'buy' } });
  check(res, { 'bought at the feed price': (r) => r.status === 200 });
  sleep(0.1);
}

export function vuEnd() {
  check(getInteger('gaps', 0), { 'no tick missed across reconnections': (n) => n === 0 });
  check(getBackgroundScriptStatus('feed'), { 'feed closed with the VU': (s) => s === 'completed' });
}
