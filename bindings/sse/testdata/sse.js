// Behaviour of jsload/sse against the Go test server (server_test.go).
import { EventSource, connect } from 'jsload/sse';
import { eq, ok, throws } from 'jstest/assert';

const BASE = __ENV.BASE;
const raw = (body) => `${BASE}/raw?body=${encodeURIComponent(body)}`;

// Five events, two per connection: the source reconnects with Last-Event-ID
// until the server answers 204, which closes it (the Go test checks the headers).
export function reconnects() {
  const got = [];
  const es = new EventSource(`${BASE}/events?n=5&per=2`);
  eq(es.readyState, EventSource.CONNECTING);
  let opens = 0, errors = 0;
  es.onopen = () => opens++;
  es.onmessage = (e) => got.push(`${e.type} ${e.data} ${e.lastEventId}`);
  es.addEventListener('price', (e) => got.push(`${e.type} ${e.data} ${e.lastEventId}`));
  es.onerror = (e) => {
    errors++;
    if (es.readyState !== EventSource.CLOSED) return; // the stream ended: it reconnects
    eq(e.status, 204);
    eq(got, ['message event 1 1', 'price event 2 2', 'message event 3 3', 'price event 4 4', 'message event 5 5']);
    eq([opens, errors, es.lastEventId], [3, 4, '5']);
  };
}

export function testReceive() {
  const es = connect(`${BASE}/events?n=3&per=3`);
  eq(es.readyState, EventSource.OPEN);
  const got = [];
  for (let e; (e = es.receive('10s')) !== null;) got.push(`${e.type}:${e.data}:${e.lastEventId}`);
  eq(got, ['message:event 1:1', 'price:event 2:2', 'message:event 3:3']);
  eq(es.readyState, EventSource.CLOSED);
}

export function testFormat() {
  const es = connect(raw('\ufeff: comment\r\ndata: one\r\ndata:two\r\n\r\nevent: x\rdata\r\rid: 7\ndata: three\n\ndata: cut'), { reconnect: false });
  eq([es.receive('5s').data, es.receive('5s').data], ['one\ntwo', '']);
  const x = es.receive('5s');
  eq([x.type, x.data, x.lastEventId], ['message', 'three', '7']);
  eq(es.receive('5s'), null, 'an event the stream ends in the middle of is dropped');
}

export function testRefused() {
  throws(() => connect(`${BASE}/refuse`), 'HTTP 500');
  throws(() => connect(`${BASE}/text`), 'not text/event-stream');
  throws(() => connect('ftp://x'), 'http:// or https://');
  throws(() => connect(`${BASE}/events`, { retyr: 1 }), 'unknown param "retyr"');
  throws(() => new EventSource('nope'), /SyntaxError/);
}

export function testCloseStops() {
  const es = new EventSource(`${BASE}/hold`);
  let n = 0;
  es.onmessage = () => {
    n++;
    if (n === 2) es.close();
    ok(n <= 2, 'no event after close()');
  };
}

// The Go stop tests' background scripts and callers.
export function holdHandlers() {
  const es = new EventSource(`${BASE}/hold`);
  es.onmessage = (e) => setString('tick', e.data);
}

export function holdReceive() {
  const es = connect(`${BASE}/hold`);
  for (let e; (e = es.receive('10s')) !== null;) setString('tick', e.data);
  setString('loopEnded', 'yes');
}

export function stopImmediately() {
  createBackgroundScript('feed', { exec: __ENV.MODE });
  waitForChange('tick', '20s');
  stopBackgroundScriptImmediately('feed');
  eq(getBackgroundScriptStatus('feed'), 'canceled');
}

export function requestStop() {
  createBackgroundScript('feed', { exec: __ENV.MODE }, { stopTimeout: '50s' });
  waitForChange('tick', '20s');
  requestToStopBackgroundScript('feed');
  ok(waitForBackgroundScriptToFinish('feed', '40s'), 'the script finished');
  eq(getBackgroundScriptStatus('feed'), 'completed');
  if (__ENV.MODE === 'holdReceive') eq(getString('loopEnded'), 'yes');
}

export function blockInReceive() {
  const es = connect(`${BASE}/hold`);
  for (;;) {
    es.receive();
    setString('connected', 'yes');
  }
}
