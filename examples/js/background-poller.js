// A VU with a ticker polling beside its main flow, as the asynchronous JavaScript
// of a real page does: vuInit starts a looping background script that polls the
// price; each iteration waits for the next price through the VU data dictionary,
// then buys at it. The ticker shares the VU's cookies and connections. One
// browser per VU: a new one each iteration (the default) would halt the ticker
// vuInit started once the first iteration ends.
// Run it: go run ./cmd/jsload run --demo examples/js/background-poller.js
import http from 'jsload/http';
import { check, sleep, vu } from 'jsload';

const BASE = __ENV.BASE_URL || 'http://127.0.0.1:8080';

export const options = { vus: 3, iterations: 9, newBrowserEachIteration: false };

export function vuInit() {
  createBackgroundScript('ticker', './lib/ticker.js', {
    loop: true, pause: '20ms', stop: 'vu', args: { base: BASE, symbol: 'ACME' },
  });
}

export default function () {
  setSynchronizationPoint('pageLoaded');
  const price = Number(waitForChange('lastPrice', '5s')); // the next tick, not an old one
  const res = http.post(`${BASE}/buy`, { symbol: 'ACME', price: String(price) }, { tags: { name: 'buy' } });
  check(res, { 'bought at the ticker price': (r) => r.status === 200 });
  console.log(`VU ${vu.id} bought at ${price} (tick ${getInteger('tickSeq')})`);
  sleep(0.05);
}

export function vuEnd() {
  check(getBackgroundScriptStatus('ticker'), { 'ticker stopped with the VU': (s) => s === 'completed' });
}
