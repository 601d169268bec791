// Package websockets is k6's `k6/websockets` module (also registered under its
// former name, k6/experimental/websockets) on jsload's WebSocket
// client (bindings/ws): its WebSocket class is jsload/ws's, the browser-like
// one (onopen, onmessage, onerror, onclose, onping, onpong, addEventListener,
// send, ping, close, readyState), whose events run on the runtime's event loop.
//
// It differs from k6 in binary messages, which arrive as ArrayBuffers
// (binaryType 'arraybuffer'; jsload has no Blob), and in params, where
// unknown keys are errors.
package websockets

import (
	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
	wsbind "github.com/jsload/jsload/bindings/ws"
)

// Module builds the exports of `k6/websockets` for the runtime of h.
func Module(h bindings.Host) *goja.Object {
	o := h.Goja().NewObject()
	stream.DefineLazy(h.Goja(), o, "WebSocket", wsbind.ClientOf(h).WebSocketClass)
	return o
}
