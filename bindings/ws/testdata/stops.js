// The stop paths of sockets in background scripts, driven by stop_test.go.
import ws, { connect } from 'jsload/ws';
import { eq, ok } from 'jstest/assert';

const WS = __ENV.WS;

// Background scripts holding the /ticks stream open, publishing each tick.
export function withHandlers() {
  const s = connect(`${WS}/ticks`);
  s.onmessage = (e) => setString('tick', e.data);
}

export function withReceive() {
  const s = connect(`${WS}/ticks`);
  while (s.readyState === ws.OPEN) {
    const m = s.receive('10s');
    if (m !== null) setString('tick', m);
  }
  setString('loopEnded', 'yes');
}

function start(exec, opts) {
  createBackgroundScript('ticker', { exec }, opts);
  waitForChange('tick', '20s');
}

export function stopImmediately() {
  start(__ENV.MODE, {});
  stopBackgroundScriptImmediately('ticker');
  eq(getBackgroundScriptStatus('ticker'), 'canceled');
}

// A stop request closes the script's sockets with 1001: the close event runs,
// the receive loop ends, and the script completes well within its stopTimeout.
export function requestStop() {
  start(__ENV.MODE, { stopTimeout: '50s' });
  requestToStopBackgroundScript('ticker');
  ok(waitForBackgroundScriptToFinish('ticker', '40s'), 'the script finished');
  eq(getBackgroundScriptStatus('ticker'), 'completed');
  if (__ENV.MODE === 'withReceive') eq(getString('loopEnded'), 'yes');
}

// Returns with the ticker running: the Go test ends the VU.
export function leaveRunning() {
  start(__ENV.MODE, { stopMode: __ENV.STOPMODE || 'request' });
}
