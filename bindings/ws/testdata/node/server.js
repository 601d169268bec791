// A WebSocket server on the ws package (not jsload's code), for node_test.go.
// It listens on 127.0.0.1 on a free port and prints "listening PORT", then one
// line per connection that ends: "end CODE REASON" (the client's close frame) or
// "end 1006" (cut). Every message is echoed, except these text commands:
//
//   fragments N     send "part0part1…" as one text message in N frames
//   binfragments N  the same as a binary message of N frames of 3 bytes
//   ping DATA       send a ping carrying DATA
//   close CODE WHY  close with CODE and WHY
//   terminate       cut the TCP connection, no close frame
//   protocol        send the subprotocol chosen
'use strict';
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: true,
  handleProtocols: (protocols) => (protocols.has('superchat') ? 'superchat' : false),
});

wss.on('listening', () => console.log(`listening ${wss.address().port}`));

wss.on('connection', (ws) => {
  ws.on('close', (code, reason) => console.log(`end ${code} ${reason}`.trim()));
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    const [verb, ...rest] = text.split(' ');
    const arg = rest.join(' ');
    switch (verb) {
      case 'fragments': {
        const n = Number(arg);
        for (let i = 0; i < n; i++) ws.send(`part${i}`, { fin: i === n - 1, binary: false });
        return;
      }
      case 'binfragments': {
        const n = Number(arg);
        for (let i = 0; i < n; i++) ws.send(Buffer.from([i, i, i]), { fin: i === n - 1, binary: true });
        return;
      }
      case 'ping':
        ws.ping(arg);
        return;
      case 'close': {
        const [code, ...why] = rest;
        ws.close(Number(code), why.join(' '));
        return;
      }
      case 'terminate':
        ws.terminate();
        return;
      case 'protocol':
        ws.send(ws.protocol);
        return;
      default:
        ws.send(data, { binary: isBinary });
    }
  });
});

// Ends with its parent: stdin closes when the Go test's pipe does.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
