package ws

import (
	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
)

// Module builds the exports of `jsload/ws` for the runtime of h: the WebSocket
// class, connect, and the ready-state constants. The class (some thirty
// functions) is made when a script first reads it or connects: a runtime that
// only imports the module, as a VU's main runtime often does while its
// background script holds the socket, does not pay for it.
func Module(h bindings.Host) *goja.Object {
	cl := ClientOf(h)
	o := cl.rt.NewObject()
	stream.DefineLazy(cl.rt, o, "WebSocket", cl.WebSocketClass)
	_ = o.Set("connect", cl.connect)
	cl.defineStates(o)
	return o
}

type classKey struct{}

// WebSocketClass returns the runtime's WebSocket class, made on first use:
// new WebSocket(url[, protocols][, params]) connects in the background and
// fires onopen, or onerror then onclose. Its methods and accessors live on the
// prototype; an instance holds only its state.
func (cl *Client) WebSocketClass() *goja.Object {
	return cl.realm.Local(classKey{}, func() any {
		ctor := cl.rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
			raw, opts, err := cl.Options(call.Argument(0), call.Argument(2), call.Argument(1))
			if err != nil {
				cl.realm.ThrowDOMException("SyntaxError", "new WebSocket: %v", err)
			}
			cl.newSocket(call.This, cl.DialAsync(raw, opts), false)
			return nil
		}).(*goja.Object)
		_ = ctor.DefineDataProperty("name", cl.rt.ToValue("WebSocket"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		cl.defineStates(ctor)
		proto := ctor.Get("prototype").(*goja.Object)
		cl.defineStates(proto)
		cl.definePrototype(proto)
		return ctor
	}).(*goja.Object)
}

// connect implements connect(url[, params]): it returns once the handshake has
// ended, with an open WebSocket, or throws saying why the handshake failed.
func (cl *Client) connect(call goja.FunctionCall) goja.Value {
	raw, opts, err := cl.Options(call.Argument(0), call.Argument(1), nil)
	if err != nil {
		cl.realm.ThrowTypeError("connect: %v", err)
	}
	c, err := cl.Dial(raw, opts)
	if err != nil {
		if ctx := cl.h.Context(); ctx.Err() != nil {
			return bindings.WaitFailed(cl.h, ctx, err)
		}
		bindings.Throw(cl.rt, err)
	}
	obj := cl.rt.NewObject()
	_ = obj.SetPrototype(cl.WebSocketClass().Get("prototype").(*goja.Object))
	cl.newSocket(obj, c, true)
	return obj
}

func (cl *Client) defineStates(o *goja.Object) {
	for i, n := range []string{"CONNECTING", "OPEN", "CLOSING", "CLOSED"} {
		_ = o.DefineDataProperty(n, cl.rt.ToValue(i), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
}

// socketKey holds each WebSocket's state in its object.
var socketKey = goja.NewSymbol("jsload.ws.socket")

// socketOf returns the state of the WebSocket this, throwing "Illegal
// invocation" (a TypeError, as browsers do) for anything else.
func (cl *Client) socketOf(this goja.Value) *socket {
	s, ok := stream.Attached(this, socketKey).(*socket)
	if !ok {
		cl.realm.ThrowTypeError("Illegal invocation")
	}
	return s
}

// definePrototype puts the WebSocket methods and accessors on proto.
func (cl *Client) definePrototype(proto *goja.Object) {
	rt := cl.rt
	stream.DefineTarget(rt, proto, func(this goja.Value) *stream.Target { return cl.socketOf(this).target }, eventTypes...)
	method := func(name string, fn func(s *socket, c goja.FunctionCall) goja.Value) {
		f := rt.ToValue(func(c goja.FunctionCall) goja.Value { return fn(cl.socketOf(c.This), c) })
		_ = proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	getter := func(name string, fn func(s *socket) any) {
		get := rt.ToValue(func(c goja.FunctionCall) goja.Value { return rt.ToValue(fn(cl.socketOf(c.This))) })
		_ = proto.DefineAccessorProperty(name, get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	method("send", (*socket).send)
	method("ping", (*socket).ping)
	method("close", (*socket).close)
	method("receive", (*socket).receive)
	getter("url", func(s *socket) any { return s.url })
	getter("readyState", func(s *socket) any { return s.state })
	getter("protocol", func(s *socket) any { return s.protocol })
	getter("extensions", func(s *socket) any { return s.extensions })
	getter("bufferedAmount", func(*socket) any { return 0 })
	getter("error", func(s *socket) any { return nullIfEmpty(s.errMsg) })
	getter("closeCode", func(s *socket) any { return nullIfZero(s.closeCode) })
	getter("closeReason", func(s *socket) any { return s.closeReason })
	setBinaryType := rt.ToValue(func(c goja.FunctionCall) goja.Value {
		cl.socketOf(c.This)
		switch t := c.Argument(0).String(); t {
		case "arraybuffer":
		case "blob":
			cl.realm.ThrowDOMException("NotSupportedError", "binaryType 'blob' is not supported: binary messages arrive as ArrayBuffers ('arraybuffer')")
		default:
			cl.realm.ThrowTypeError("binaryType must be 'arraybuffer', got %q", t)
		}
		return goja.Undefined()
	})
	getBinaryType := rt.ToValue(func(c goja.FunctionCall) goja.Value {
		cl.socketOf(c.This)
		return rt.ToValue("arraybuffer")
	})
	_ = proto.DefineAccessorProperty("binaryType", getBinaryType, setBinaryType, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
