// A VU with a ticker polling beside its main flow, as the asynchronous JavaScript
// of a real page does: vuInit starts a looping background script, each iteration
// waits for a fresh price from it through the VU data dictionary, then "buys".
// Run it: go run ./cmd/jsload run examples/js/background-poller.js
import { check, sleep, vu } from 'jsload';

export const options = { vus: 3, iterations: 9 };

export function vuInit() {
  createBackgroundScript('ticker', './lib/ticker.js', {
    loop: true, pause: '20ms', stop: 'vu', args: { base: 100 + vu.id },
  });
}

export default function () {
  setSynchronizationPoint('pageLoaded');
  const price = Number(waitForChange('lastPrice', '2s')); // the next tick, not an old one
  check(price, { 'price is fresh and plausible': (p) => p > 90 && p < 110 });
  console.log(`VU ${vu.id} buys at ${price} (tick ${getInteger('tickSeq')})`);
  sleep(0.05);
}

export function vuEnd() {
  check(getBackgroundScriptStatus('ticker'), { 'ticker stopped with the VU': (s) => s === 'completed' });
}
