// Background scripts: each exported function is one scenario run by the Go tests,
// and throws when jsload misbehaves.
import { sleep } from 'jsload';
import { cyclicTree, eq, nested, ok, throws } from 'jstest/assert';
import { startHelper } from './lib/starter.js';

export function basics() {
  createBackgroundScript('p', './bg/poller.js', { loop: true, pause: '5ms', args: { mark: 'who' } });
  const ticks = waitForInteger('ticks', '30s');
  ok(ticks >= 1, 'poller did not tick');
  eq(getString('who', ''), 'p', 'backgroundScriptId inside');
  eq(getBackgroundScriptStatus('p'), 'running', 'status');
  requestToStopBackgroundScript('p');
  eq(waitForBackgroundScriptToFinish('p', '30s'), true, 'poller stopped on request');
  eq(getBackgroundScriptStatus('p'), 'completed', 'status after request');
  eq(backgroundScriptError('p'), null, 'error of a completed script');
  eq(backgroundScriptId, null, 'backgroundScriptId in the main script');
}

export function justCreate() {
  createBackgroundScript('later', { exec: 'setFlag' }, { justCreate: true, args: { key: 'flag' } });
  eq(getBackgroundScriptStatus('later'), 'created', 'status before start');
  ok(!hasKey('flag'), 'ran before start');
  startBackgroundScript('later');
  eq(waitForString('flag', '30s'), 'set', 'what the exec script wrote');
  waitForBackgroundScriptToFinish('later');
  throws(() => startBackgroundScript('later'), /already started/, 'starting twice');
}

export function setFlag(args) { setString(args.key, 'set'); }

export function immediate() {
  createBackgroundScript('spin', './bg/spin.js');
  createBackgroundScript('sleeper', { exec: 'sleepLong' });
  createBackgroundScript('waiter', { exec: 'waitForever' });
  createBackgroundScript('syncer', { exec: 'syncForever' });
  sleep(0.05);
  for (const id of ['spin', 'sleeper', 'waiter', 'syncer']) {
    stopBackgroundScriptImmediately(id);
    eq(waitForBackgroundScriptToFinish(id, '30s'), true, id + ' stopped');
    eq(getBackgroundScriptStatus(id), 'canceled', id + ' status');
  }
}

// A stop request ends a sleep (the script then completes) and a wait (the
// script stops) at once, not after the stopTimeout.
export function requestEndsWaits() {
  const opts = { stopTimeout: '1h' };
  createBackgroundScript('sleeper', { exec: 'sleepLong' }, opts);
  createBackgroundScript('waiter', { exec: 'waitForever' }, opts);
  createBackgroundScript('syncer', { exec: 'syncForever' }, opts);
  sleep(0.05);
  for (const [id, status] of [['sleeper', 'completed'], ['waiter', 'canceled'], ['syncer', 'canceled']]) {
    requestToStopBackgroundScript(id);
    eq(waitForBackgroundScriptToFinish(id, '30s'), true, id + ' stopped on request');
    eq(getBackgroundScriptStatus(id), status, id + ' status');
    eq(backgroundScriptError(id), null, id + ' error');
  }
}

export function sleepLong() { sleep(3600); }
export function waitForever() { waitForString('never-set'); }
export function syncForever() { waitForSynchronizationPoint('never-set'); }

export function faulted() {
  createBackgroundScript('bad', './bg/fault.js');
  waitForBackgroundScriptToFinish('bad', '30s');
  eq(getBackgroundScriptStatus('bad'), 'faulted', 'status');
  const msg = backgroundScriptError('bad');
  ok(/poller broke at testdata\/bg\/fault.js:2:9/.test(msg), 'error ' + msg);
}

export function errors() {
  throws(() => startBackgroundScript('nope'), /no background script "nope"/);
  createBackgroundScript('dup', { exec: 'sleepLong' });
  throws(() => createBackgroundScript('dup', { exec: 'sleepLong' }), /still running/);
  throws(() => createBackgroundScript('x', './bg/missing.js'), /does not exist/);
  throws(() => createBackgroundScript('y', { exec: 'sleepLong' }, { stop: 'sometimes' }), /stop: "sometimes" is not one of/);
  throws(() => createBackgroundScript('z', { exec: 'sleepLong' }, { loops: true }), /unknown option "loops"/);
  throws(() => createBackgroundScript('m', { exec: 'sleepLong' }, { stopMode: 'later' }), 'stopMode: "later" is not one of request, immediate');
  throws(() => createBackgroundScript('d', { exec: 'sleepLong' }, { dictionary: 'mine' }), 'dictionary: "mine" is not one of shared, copy, overlay');
  throws(() => createBackgroundScript('s', { exec: 'sleepLong' }, { stop: 'later' }), 'stop: "later" is not one of script, iteration, vu, never');
  throws(() => createBackgroundScript('n', { exec: 'nope' }),
    /\{ exec: "nope" \}: the main script exports no function "nope" \(its exported functions: basics, .*, sleepLong/, 'an exec that names no export');
  throws(() => createBackgroundScript('n', { exec: 'notAFunction' }), 'exports no function "notAFunction"', 'an exec that names no function');
  throws(() => startBackgroundScript('n'), /no background script "n"/, 'a script that failed to be created');
  throws(() => createBackgroundScript('c', { exec: 'sleepLong' }, { args: cyclicTree() }),
    "value for 'args' is cyclic (args.children[0].parent refers back to args): store an id instead", 'cyclic args');
  throws(() => createBackgroundScript('c', { exec: 'sleepLong' }, { args: { list: [nested(2000)] } }),
    "value for 'args' is nested more than 1000 levels deep at args.list[0].a", 'deep args');
  stopBackgroundScriptImmediately('dup');
}

export const notAFunction = 1;

// A module imported from lib/ creates a background script by a path relative to
// itself.
export function relativeToCaller() {
  startHelper();
  eq(waitForString('helper', '30s'), 'lib/helper.js ran', 'the helper next to the module');
}

export function syncPoints() {
  createBackgroundScript('gate', { exec: 'gate' });
  sleep(0.02);
  ok(!hasKey('passed'), 'passed an unset synchronisation point');
  setSynchronizationPoint('open');
  eq(waitForString('passed', '30s'), 'yes', 'what the released script wrote');
  unsetSynchronizationPoint('open');
  const e = throws(() => waitForSynchronizationPoint('open', 20), /timed out/, 'a wait on an unset point');
  eq(e.name, 'TimeoutError', 'the error of a wait on an unset point');
}

export function gate() {
  waitForSynchronizationPoint('open');
  setString('passed', 'yes');
}

export default function () {}

// createAndStop stops each script right after creating it, so the stop lands
// anywhere in the script's start, including between evaluating the module and
// reading its export.
export function createAndStop() {
  for (let i = 0; i < 300; i++) {
    createBackgroundScript('brief', './bg/poller.js');
    stopBackgroundScriptImmediately('brief');
    const st = getBackgroundScriptStatus('brief');
    ok(st === 'canceled' || st === 'completed', 'status ' + st + ' after an immediate stop');
  }
}

export function interruptedExport() {
  createBackgroundScript('aborts', './bg/abortexport.js');
  eq(waitForBackgroundScriptToFinish('aborts', '30s'), true, 'finished');
  eq(getBackgroundScriptStatus('aborts'), 'faulted', 'status');
  const msg = backgroundScriptError('aborts');
  ok(/test aborted: while the export is read/.test(msg), 'error ' + msg);
}
