// Background scripts: each exported function is one scenario run by the Go tests,
// and throws when jsload misbehaves.
import { sleep } from 'jsload';

function expect(cond, msg) { if (!cond) throw new Error(msg); }

export function basics() {
  createBackgroundScript('p', './bg/poller.js', { loop: true, pause: '5ms', args: { mark: 'who' } });
  const ticks = waitForInteger('ticks', '30s');
  expect(ticks >= 1, 'poller did not tick');
  expect(getString('who', '') === 'p', 'backgroundScriptId inside was ' + getString('who', ''));
  expect(getBackgroundScriptStatus('p') === 'running', 'status ' + getBackgroundScriptStatus('p'));
  requestToStopBackgroundScript('p');
  expect(waitForBackgroundScriptToFinish('p', '30s') === true, 'poller did not stop on request');
  expect(getBackgroundScriptStatus('p') === 'completed', 'status after request ' + getBackgroundScriptStatus('p'));
  expect(backgroundScriptError('p') === null, 'error of a completed script');
  expect(backgroundScriptId === null, 'backgroundScriptId in the main script');
}

export function justCreate() {
  createBackgroundScript('later', { exec: 'setFlag' }, { justCreate: true, args: { key: 'flag' } });
  expect(getBackgroundScriptStatus('later') === 'created', 'not created');
  expect(!hasKey('flag'), 'ran before start');
  startBackgroundScript('later');
  expect(waitForString('flag', '30s') === 'set', 'exec script did not run');
  waitForBackgroundScriptToFinish('later');
  let threw = false;
  try { startBackgroundScript('later'); } catch (e) { threw = /already started/.test(e.message); }
  expect(threw, 'starting twice must throw');
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
    expect(waitForBackgroundScriptToFinish(id, '30s') === true, id + ' did not stop');
    expect(getBackgroundScriptStatus(id) === 'canceled', id + ' status ' + getBackgroundScriptStatus(id));
  }
}

export function sleepLong() { sleep(3600); }
export function waitForever() { waitForString('never-set'); }
export function syncForever() { waitForSynchronizationPoint('never-set'); }

export function faulted() {
  createBackgroundScript('bad', './bg/fault.js');
  waitForBackgroundScriptToFinish('bad', '30s');
  expect(getBackgroundScriptStatus('bad') === 'faulted', 'status ' + getBackgroundScriptStatus('bad'));
  const msg = backgroundScriptError('bad');
  expect(/poller broke at testdata\/bg\/fault.js:2:9/.test(msg), 'error ' + msg);
}

export function errors() {
  const throws = (fn, re) => {
    try { fn(); } catch (e) { expect(re.test(e.message), e.message); return; }
    throw new Error('no error for ' + fn);
  };
  throws(() => startBackgroundScript('nope'), /no background script "nope"/);
  createBackgroundScript('dup', { exec: 'sleepLong' });
  throws(() => createBackgroundScript('dup', { exec: 'sleepLong' }), /still running/);
  throws(() => createBackgroundScript('x', './bg/missing.js'), /does not exist/);
  throws(() => createBackgroundScript('y', { exec: 'sleepLong' }, { stop: 'sometimes' }), /stop: "sometimes" is not one of/);
  throws(() => createBackgroundScript('z', { exec: 'sleepLong' }, { loops: true }), /unknown option "loops"/);
  stopBackgroundScriptImmediately('dup');
}

export function scriptScope() {
  createBackgroundScript('scoped', { exec: 'sleepLong' }, { stop: 'script', stopMode: 'immediate' });
}

export function statusOf() {
  setString('status', getBackgroundScriptStatus(getString('id')));
}

export function iterationScope() {
  createBackgroundScript('iter', './bg/poller.js', { loop: true, pause: '1ms', stop: 'iteration' });
  waitForInteger('ticks', '30s');
}

export function syncPoints() {
  createBackgroundScript('gate', { exec: 'gate' });
  sleep(0.02);
  expect(!hasKey('passed'), 'passed an unset synchronisation point');
  setSynchronizationPoint('open');
  expect(waitForString('passed', '30s') === 'yes', 'not released');
  unsetSynchronizationPoint('open');
  let threw = '';
  try { waitForSynchronizationPoint('open', 20); } catch (e) { threw = e.name; }
  expect(threw === 'TimeoutError', 'no TimeoutError on an unset point: ' + threw);
}

export function gate() {
  waitForSynchronizationPoint('open');
  setString('passed', 'yes');
}

export function deadlock() {
  createBackgroundScript('stuck', { exec: 'syncForever' }, { stop: 'never' });
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
    expect(st === 'canceled' || st === 'completed', 'status ' + st + ' after an immediate stop');
  }
}

export function interruptedExport() {
  createBackgroundScript('aborts', './bg/abortexport.js');
  expect(waitForBackgroundScriptToFinish('aborts', '30s') === true, 'did not finish');
  expect(getBackgroundScriptStatus('aborts') === 'faulted', 'status ' + getBackgroundScriptStatus('aborts'));
  const msg = backgroundScriptError('aborts');
  expect(/test aborted: while the export is read/.test(msg), 'error ' + msg);
}
