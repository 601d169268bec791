// Behaviour of jsload/ws against the Go test server (server_test.go): each test*
// function throws (or never settles, caught by the Go test's bound) when wrong.
import ws, { WebSocket, connect } from 'jsload/ws';
import http from 'jsload/http';
import { eq, ok, throws } from 'jstest/assert';

const WS = __ENV.WS;
const BASE = __ENV.BASE;

export function testEchoText() {
  const s = connect(`${WS}/echo`);
  eq(s.readyState, ws.OPEN, 'readyState after connect');
  s.send('hello');
  s.send('héllo wörld ✓');
  eq(s.receive('5s'), 'hello');
  eq(s.receive('5s'), 'héllo wörld ✓');
  s.close();
  eq(s.readyState, ws.CLOSING, 'readyState after close()');
  eq(s.receive('5s'), null, 'receive after close');
  eq(s.readyState, ws.CLOSED);
  eq(s.closeCode, 1000);
}

export function testEchoBinary() {
  const s = connect(`${WS}/echo`);
  const bytes = new Uint8Array(300);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 256;
  s.send(bytes);
  s.send(bytes.buffer);
  s.send(new DataView(bytes.buffer, 10, 5));
  const a = s.receive('5s');
  ok(a instanceof ArrayBuffer, `binary messages arrive as ArrayBuffers, got ${a}`);
  eq(Array.from(new Uint8Array(a)), Array.from(bytes));
  eq(new Uint8Array(s.receive('5s')).length, 300);
  eq(Array.from(new Uint8Array(s.receive('5s'))), [10, 11, 12, 13, 14]);
  s.close();
}

// A 20,000-byte message the server writes in frames of 256 bytes arrives whole.
export function testFragmented() {
  const s = connect(`${WS}/echo`);
  s.send('big 20000');
  const m = s.receive('5s');
  eq(m.length, 20000);
  ok(/^x+$/.test(m), 'the fragments join in order');
  s.close();
}

export function testHandlers() {
  const seen = [];
  const s = new WebSocket(`${WS}/echo`, 'chat');
  eq(s.readyState, WebSocket.CONNECTING);
  throws(() => s.send('too early'), 'still connecting');
  s.onopen = (e) => {
    seen.push(`open ${e.type} ${s.protocol}`);
    s.send('one');
    s.send(new Uint8Array([1, 2]));
  };
  s.addEventListener('message', (e) => {
    seen.push(typeof e.data === 'string' ? `message ${e.data}` : `binary ${new Uint8Array(e.data).length}`);
    if (seen.length === 3) s.close(4000, 'done');
  });
  s.onclose = (e) => {
    seen.push(`close ${e.code} ${e.reason} ${e.wasClean}`);
    // The close event carries the server's close frame: gorilla echoes the code only.
    eq(seen, ['open open chat', 'message one', 'binary 2', 'close 4000  true']);
    eq(s.readyState, WebSocket.CLOSED);
  };
}

export function testListenerOnceAndRemove() {
  const s = connect(`${WS}/echo`);
  let once = 0, removed = 0, kept = 0;
  const gone = () => removed++;
  s.addEventListener('message', () => once++, { once: true });
  s.addEventListener('message', gone);
  s.addEventListener('message', () => kept++);
  s.removeEventListener('message', gone);
  s.send('a');
  s.send('b');
  s.send('close 1000 enough');
  s.onclose = () => {
    eq([once, removed, kept], [1, 0, 2]);
  };
}

export function testPingPong() {
  const s = connect(`${WS}/echo`);
  let pongs = 0, pings = [];
  s.onpong = () => pongs++;
  s.onping = (e) => pings.push(e.data);
  s.ping();
  s.send('ping from-server');
  s.send('after');
  eq(s.receive('5s'), 'after');
  eq(pongs, 1, 'pongs');
  eq(pings, ['from-server'], 'pings');
  s.close();
}

export function testServerClose() {
  const s = connect(`${WS}/echo`);
  let closed = null;
  s.onclose = (e) => { closed = e; };
  s.send('close 4001 bye now');
  eq(s.receive('5s'), null);
  eq([s.readyState, s.closeCode, s.closeReason, s.error], [ws.CLOSED, 4001, 'bye now', null]);
  eq([closed.code, closed.reason, closed.wasClean], [4001, 'bye now', true]);
  s.send('dropped, not thrown'); // as browsers do once closed
}

export function testAbruptDisconnect() {
  const s = connect(`${WS}/echo`);
  let errors = 0;
  s.onerror = (e) => { errors++; ok(e.message.includes('connection was lost'), e.message); };
  s.send('drop');
  eq(s.receive('5s'), null);
  eq([s.readyState, s.closeCode, errors], [ws.CLOSED, 1006, 1]);
  ok(s.error.includes('connection was lost'), s.error);
}

export function testAbruptDisconnectHandlers() {
  const s = new WebSocket(`${WS}/echo`);
  const seen = [];
  s.onopen = () => s.send('drop');
  s.onerror = () => seen.push('error');
  s.onclose = (e) => {
    seen.push(`close ${e.code} ${e.wasClean}`);
    eq(seen, ['error', 'close 1006 false']);
  };
}

export function testRefused() {
  const e = throws(() => connect(`${WS}/refuse`), 'HTTP 403');
  ok(e.message.includes('no entry for you'), e.message);
  throws(() => connect(__ENV.CLOSED), 'refused');
  const s = new WebSocket(`${WS}/refuse`);
  s.onerror = (ev) => { s.failed = ev.message; };
  s.onclose = (ev) => {
    eq(ev.code, 1006);
    ok(s.failed.includes('HTTP 403'), s.failed);
  };
}

export function testBadArguments() {
  throws(() => connect('http//nope'), 'ws:// or wss://');
  throws(() => connect(`${WS}/echo#x`), 'fragment');
  throws(() => connect(`${WS}/echo`, { hedaers: {} }), 'unknown param "hedaers"');
  throws(() => connect(`${WS}/echo`, { headers: { Upgrade: 'h2c' } }), 'set by the handshake');
  throws(() => connect(`${WS}/echo`, { protocols: ['a b'] }), 'invalid subprotocol');
  throws(() => connect(`${WS}/echo`, { compression: 'gzip' }), "'deflate'");
  throws(() => new WebSocket('ftp://x'), /SyntaxError/);
  throws(() => WebSocket.prototype.send.call({}, 'x'), 'Illegal invocation');
  const s = connect(`${WS}/echo`);
  throws(() => s.close(1001), /InvalidAccessError/);
  throws(() => s.close(1000, 'x'.repeat(124)), /SyntaxError/);
  throws(() => { s.binaryType = 'blob'; }, /NotSupportedError/);
  throws(() => { s.onmessage = 42; }, 'must be a function');
  s.close();
}

export function testSubprotocolAndCompression() {
  const s = connect(`${WS}/echo`, { protocols: ['superchat'], compression: 'deflate' });
  eq(s.protocol, 'superchat');
  ok(s.extensions.includes('permessage-deflate'), `extensions ${s.extensions}`);
  const text = 'compress me '.repeat(500);
  s.send(text);
  eq(s.receive('5s'), text);
  s.close();
}

export function testHeadersAndCookies() {
  http.get(`${BASE}/setcookie`);
  const s = connect(`${WS}/cookie`, { headers: { 'X-Test': 'yes' } });
  s.send('headers');
  const h = JSON.parse(s.receive('5s'));
  eq([h['X-Test'], h.Cookie], ['yes', 'httpc=fromhttp']);
  ok(h['User-Agent'].startsWith('jsload/'), h['User-Agent']);
  s.close();
  const back = http.get(`${BASE}/cookies`).json();
  eq(back.wsc, 'fromhandshake', 'a cookie set by the handshake reaches jsload/http');
  // A jar of the script's own, as k6 scripts pass it: its cookies, not the VU's.
  const jar = new http.CookieJar();
  jar.set(BASE, 'own', 'jar');
  const t = connect(`${WS}/cookie`, { jar });
  t.send('headers');
  eq(JSON.parse(t.receive('5s')).Cookie, 'own=jar');
  t.close();
  eq(jar.cookiesForURL(BASE).wsc, ['fromhandshake'], 'the handshake set its cookie in that jar');
  throws(() => connect(`${WS}/echo`, { jar: {} }), 'want a CookieJar');
}

// wss://: the certificate is verified unless insecureSkipTLSVerify.
export function testTLS() {
  throws(() => connect(`${__ENV.WSS}/echo`), 'insecureSkipTLSVerify');
  const s = connect(`${__ENV.WSS}/echo`, { insecureSkipTLSVerify: true });
  s.send('over tls');
  eq(s.receive('5s'), 'over tls');
  s.close();
}

export function testReceiveTimeout() {
  const s = connect(`${WS}/silent`);
  const t0 = Date.now();
  eq(s.receive('30ms'), null);
  ok(Date.now() - t0 >= 25, 'receive waited for its timeout');
  eq(s.readyState, ws.OPEN);
  s.close();
}

export function testMaxMessageSize() {
  const s = connect(`${WS}/echo`, { maxMessageSize: 100 });
  s.send('big 1000');
  eq(s.receive('5s'), null);
  eq(s.closeCode, 1006);
  ok(s.error.includes('read limit'), s.error);
}

export function testBurst() {
  const s = connect(`${WS}/echo`);
  s.send('burst 3000'); // more than the queue holds: the reader waits for the script
  for (let i = 0; i < 3000; i++) eq(s.receive('5s'), `m${i}`);
  s.close();
}

export async function testAsyncAwait() {
  const s = new WebSocket(`${WS}/echo`);
  await new Promise((resolve, reject) => { s.onopen = resolve; s.onerror = reject; });
  s.send('x');
  const got = await new Promise((resolve) => { s.onmessage = (e) => resolve(e.data); });
  eq(got, 'x');
  s.close();
}

// Metrics: the Go test reads the samples of one echo.
export function metrics() {
  const s = connect(`${WS}/echo`, { tags: { kind: 'm' } });
  s.send('a');
  s.receive('5s');
  s.ping();
  s.send('b');
  s.receive('5s');
  s.close();
  s.receive('5s');
}

// Used by the Go stop tests.
export function blockInReceive() {
  const s = connect(`${WS}/silent`);
  setString('connected', 'yes');
  s.receive();
  throw new Error('receive returned before the stop');
}

export function throwWithSocketOpen() {
  const s = connect(`${WS}/silent`);
  s.onmessage = () => {};
  throw new Error('thrown with a socket open');
}

export function throwInHandler() {
  const s = connect(`${WS}/echo`);
  s.onmessage = () => { throw new Error('thrown in onmessage'); };
  s.send('x');
}

export function metricsInBackground() {
  createBackgroundScript('bg', { exec: 'metrics' });
  ok(waitForBackgroundScriptToFinish('bg', '30s'), 'the background script finished');
  eq(getBackgroundScriptStatus('bg'), 'completed');
}

export function refusedMetrics() {
  throws(() => connect(`${WS}/refuse`, { tags: { name: 'refused' } }), 'HTTP 403');
}
