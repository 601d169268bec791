// jsload/ws against the ws package of npm under node (testdata/node/server.js):
// a server jsload did not write. Each test* function throws when wrong.
import ws, { WebSocket, connect } from 'jsload/ws';
import { eq, ok } from 'jstest/assert';

const URL = __ENV.NODE_WS;

export function testEcho() {
  const s = connect(URL);
  s.send('hello node');
  eq(s.receive('5s'), 'hello node');
  s.send(new Uint8Array([0, 1, 254, 255]));
  eq(Array.from(new Uint8Array(s.receive('5s'))), [0, 1, 254, 255]);
  const big = 'y'.repeat(200000);
  s.send(big);
  eq(s.receive('5s'), big);
  s.close(1000, 'bye node');
}

export function testFragmented() {
  const s = connect(URL);
  s.send('fragments 5');
  eq(s.receive('5s'), 'part0part1part2part3part4');
  s.send('binfragments 3');
  eq(Array.from(new Uint8Array(s.receive('5s'))), [0, 0, 0, 1, 1, 1, 2, 2, 2]);
  s.close();
}

export function testPingPong() {
  const s = connect(URL);
  const got = [];
  s.onping = (e) => got.push(`ping ${e.data}`);
  s.onpong = () => got.push('pong');
  s.ping();
  s.send('ping node-ping');
  s.send('last');
  eq(s.receive('5s'), 'last');
  eq(got, ['pong', 'ping node-ping']);
  s.close();
}

export function testServerClose() {
  const s = new WebSocket(URL);
  s.onopen = () => s.send('close 4002 server says bye');
  s.onclose = (e) => {
    eq([e.code, e.reason, e.wasClean], [4002, 'server says bye', true]);
  };
}

export function testTerminate() {
  const s = connect(URL);
  let err = null;
  s.onerror = (e) => { err = e.message; };
  s.send('terminate');
  eq(s.receive('5s'), null);
  eq(s.closeCode, 1006);
  ok(err !== null && err.includes('connection was lost'), `error ${err}`);
}

export function testCompressionAndProtocol() {
  const s = connect(URL, { protocols: ['superchat'], compression: 'deflate' });
  eq(s.protocol, 'superchat');
  ok(s.extensions.includes('permessage-deflate'), s.extensions);
  s.send('protocol');
  eq(s.receive('5s'), 'superchat');
  const text = 'deflate me '.repeat(1000);
  s.send(text);
  eq(s.receive('5s'), text);
  s.close();
}
