// Rendezvous behaviour as scripts see it. Each exported function is run by one or
// more VUs from script_test.go and throws on failure; the point each uses is
// named after the function, so the test can count its samples.
import { rendezvous as imported } from 'jsload';
import { eq, ok, throws } from 'jstest/assert';

ok(imported === rendezvous, 'the jsload export and the global differ');

function expectResult(r, released, arrived) {
  eq([r.released, r.arrived], [released, arrived], 'released, arrived');
  ok(typeof r.waited === 'number' && r.waited >= 0, `waited ${r.waited}`);
}

// Run by __ENV.N VUs.
export function meet() {
  expectResult(rendezvous('meet', { count: Number(__ENV.N) }), 'count', Number(__ENV.N));
}

export function alone() {
  const r = rendezvous('alone', { count: 2, timeout: '50ms' });
  expectResult(r, 'timeout', 1);
  ok(r.waited >= 45, `waited ${r.waited} ms, want about 50`);
}

export function idle() {
  expectResult(rendezvous('idle', { count: 10, interArrivalTimeout: 30 }), 'timeout', 1);
}

// Run by 2 VUs while the test reports 4 running in group "buyers", 100 in all.
export function half() {
  expectResult(rendezvous('half', { percent: 50, group: 'buyers', timeout: '10s' }), 'count', 2);
}

// The VU's main script meets a background script of the same VU.
export function withBackground() {
  createBackgroundScript('partner', { exec: 'partner' });
  expectResult(rendezvous('withBackground', { count: 2, timeout: '30s' }), 'count', 2);
  ok(waitForBackgroundScriptToFinish('partner', '30s') === true, 'partner did not finish');
  ok(backgroundScriptError('partner') === null, `partner failed: ${backgroundScriptError('partner')}`);
}

export function partner() {
  expectResult(rendezvous('withBackground', { count: 2, timeout: '30s' }), 'count', 2);
}

export function unknownRunning() {
  rendezvous('unknownRunning', { percent: 50 });
}

const bad = [
  [undefined, 'no options'],
  [5, 'options must be an object'],
  [{}, 'no release condition'],
  [{ count: 2, percent: 50 }, 'both count and percent'],
  [{ count: -1 }, 'count -1 is negative'],
  [{ count: 0 }, 'count is 0'],
  [{ count: 1.5 }, 'count 1.5 is not a number of VUs'],
  [{ count: '3' }, 'count 3 is not a number of VUs'],
  [{ count: 1e12 }, 'count 1000000000000 is not a number of VUs'],
  [{ percent: 0 }, 'percent 0 is out of range'],
  [{ percent: 150 }, 'percent 150 is out of range'],
  [{ percent: -5 }, 'percent -5 is out of range'],
  [{ percent: '50' }, 'percent 50 is not a number'],
  [{ count: 2, timeout: -5 }, 'timeout: invalid timeout -5'],
  [{ count: 2, interArrivalTimeout: 'soon' }, 'interArrivalTimeout: invalid timeout "soon"'],
  [{ count: 2, group: 'g' }, 'group only applies to percent'],
  [{ count: 2, timout: '5s' }, 'unknown option "timout"'],
];

export function badOptions() {
  for (const [opts, want] of bad) {
    const e = throws(() => rendezvous('badOptions', opts), want, `rendezvous('badOptions', ${JSON.stringify(opts)})`);
    ok(String(e.message).startsWith('rendezvous("badOptions"): '), `no name in: ${e.message}`);
  }
  throws(() => rendezvous('', { count: 1 }), 'name is empty', 'an empty name');
}

// A point takes other options while nobody waits at it, as after a hot reload.
export function newOptions() {
  expectResult(rendezvous('newOptions', { count: 1 }), 'count', 1);
  expectResult(rendezvous('newOptions', { count: 2, timeout: '20ms' }), 'timeout', 1);
}

// The body of the release benchmark: mark the arrival in the VU's dictionary
// (read by the benchmark), then meet all __ENV.N VUs.
const benchOptions = { count: Number(__ENV.N) };
export function bench() {
  set('arrivals', get('arrivals', 0) + 1);
  const r = rendezvous('bench', benchOptions);
  if (r.arrived !== benchOptions.count) throw new Error(`a wave of ${r.arrived}, want ${benchOptions.count}`);
}

// A group the test does not have (a typo): an error naming it, at once.
export function unknownGroup() {
  rendezvous('unknownGroup', { percent: 50, group: 'byers', timeout: '10s' });
}
