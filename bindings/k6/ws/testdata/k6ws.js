// k6/ws as k6 scripts use it, against the demo target's WebSocket endpoints.
import ws from 'k6/ws';
import { eq, ok, throws } from 'jstest/assert';

const WS = __ENV.BASE_URL.replace('http', 'ws');

export function testEcho() {
  const seen = [];
  let handlerRan = false;
  const res = ws.connect(`${WS}/ws/echo`, { tags: { my_tag: 'x' } }, (socket) => {
    handlerRan = true;
    socket.on('open', () => { seen.push('open'); socket.send('hi'); });
    socket.on('message', (m) => {
      seen.push(`message ${m}`);
      socket.sendBinary(new Uint8Array([7, 8, 9]).buffer);
    });
    socket.on('binaryMessage', (ab) => {
      seen.push(`binary ${Array.from(new Uint8Array(ab))}`);
      socket.close();
    });
    socket.on('close', (code) => seen.push(`close ${code}`));
  });
  ok(handlerRan, 'the setup function ran');
  eq(seen, ['open', 'message hi', 'binary 7,8,9', 'close 1001']);
  eq([res.status, res.error, res.url], [101, '', `${WS}/ws/echo`]);
  ok(res.headers.Upgrade.toLowerCase() === 'websocket', JSON.stringify(res.headers));
}

export function testTimersAndPings() {
  let pongs = 0, timeouts = 0;
  ws.connect(`${WS}/ws/echo`, (socket) => {
    socket.on('pong', () => {
      if (++pongs === 3) socket.close(1000);
    });
    socket.setInterval(() => socket.ping(), 5);
    socket.setTimeout(() => timeouts++, 1);
    socket.on('close', (code) => eq(code, 1000));
  });
  eq([pongs, timeouts], [3, 1]);
}

export function testServerCloses() {
  const ticks = [];
  let closed = 0;
  ws.connect(`${WS}/ws/prices?symbol=K6&limit=3`, null, (socket) => {
    socket.on('message', (m) => ticks.push(JSON.parse(m).symbol));
    socket.on('close', (code) => { closed = code; });
  });
  eq([ticks, closed], [['K6', 'K6', 'K6'], 1000]);
}

export function testRefused() {
  let ran = false;
  const res = ws.connect(`${WS}/products`, {}, () => { ran = true; });
  eq([ran, res.status], [false, 200]);
  ok(res.error.includes('instead of 101'), res.error);
  throws(() => ws.connect(`${WS}/ws/echo`), 'last argument must be a function');
  throws(() => ws.connect(`${WS}/ws/echo`, (s) => s.setTimeout(() => {}, 0)), 'delay in ms > 0');
  throws(() => ws.connect(`${WS}/ws/echo`, { jar: {} }, () => {}), 'want a CookieJar');
}

export function testHandlerThrows() {
  throws(() => ws.connect(`${WS}/ws/echo`, (socket) => {
    socket.on('open', () => socket.send('x'));
    socket.on('message', () => { throw new Error('boom in message'); });
  }), 'boom in message');
}
