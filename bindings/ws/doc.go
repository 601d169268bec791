// Package ws is jsload's WebSocket client: the `jsload/ws` module (a
// browser-like WebSocket class, and connect() with receive() for scripts that
// block, such as a background script's loop), and the Client that the k6
// compatibility modules (bindings/k6/ws, bindings/k6/websockets) are thin
// layers over.
//
// # The protocol
//
// RFC 6455 (framing, masking, fragmented messages, control frames, the closing
// handshake) and permessage-deflate (RFC 7692) come from gorilla/websocket,
// chosen over coder/websocket because:
//   - it is what k6's ws modules are built on, so a script ported from k6 sees
//     the same handshake, compression offer and close behaviour;
//   - it starts no goroutine of its own: writes run on the caller's goroutine
//     (the runtime's), and ping, pong and close frames reach handlers called
//     on the one reading goroutine, which is how every frame becomes an event
//     (ping and pong events, ws_ping) without another goroutine per socket;
//   - its Dialer takes the VU's cookie jar, TLS settings, subprotocols and a
//     dial function (to count data_sent/data_received) directly, and returns
//     the HTTP response of a refused handshake for the error message.
//
// Its compression is without context takeover only (each message compressed
// on its own): servers accept that offer, at some cost in ratio.
//
// # Goroutines and the event loop
//
// Each connection (Conn) owns one goroutine, which dials (for new WebSocket)
// and then reads frames, turning each into a plain Go Event pushed into the
// connection's stream.Queue; it never touches a goja value. The runtime takes
// events through its event loop (each batch re-enters the runtime as one
// callback, the mechanism of jsload/http's asyncRequest) or in receive(),
// which blocks on the queue under the runtime's context. An open socket keeps
// the call that opened it running, as a pending request does, until it has
// closed and its close event has run.
//
// A socket never outlives the call that opened it: when the call ends
// otherwise (an exception, an interrupt), bindings.Host.OnCallEnd stops it.
// When the runtime's context ends (the VU stopping, stopBackgroundScriptImmediately,
// a stop timeout) the socket is cut at once, from the context's AfterFunc. A
// background script asked to stop (requestToStopBackgroundScript) closes its
// sockets with 1001, so their close events run and the script can finish.
//
// # Metrics
//
// ws_connecting, ws_sessions (tagged status, the handshake's HTTP status),
// ws_session_duration, ws_msgs_sent, ws_msgs_received and ws_ping, plus
// data_sent and data_received, tagged url and name (or only name, from
// params.tags.name), status, subproto, params.tags and the runtime's tags
// (group, script=<id> in a background script). They are registered when a
// script first uses a WebSocket module.
package ws
