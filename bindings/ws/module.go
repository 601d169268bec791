package ws

import (
	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
)

// Module builds the exports of `jsload/ws` for the runtime of h: the WebSocket
// class, connect, and the ready-state constants.
func Module(h bindings.Host) *goja.Object {
	cl := ClientOf(h)
	o := cl.rt.NewObject()
	_ = o.Set("WebSocket", cl.WebSocketClass())
	_ = o.Set("connect", cl.connect)
	cl.defineStates(o)
	return o
}

type classKey struct{}

// WebSocketClass returns the runtime's WebSocket class, made on first use:
// new WebSocket(url[, protocols][, params]) connects in the background and
// fires onopen, or onerror then onclose.
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
		cl.defineStates(ctor.Get("prototype").(*goja.Object))
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

// define puts the socket's methods and properties on its object.
func (s *socket) define() {
	rt, o := s.cl.rt, s.obj
	s.target = stream.NewTarget(rt, o, eventTypes...)
	method := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = o.DefineDataProperty(name, rt.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	getter := func(name string, fn func() any) {
		get := rt.ToValue(func(goja.FunctionCall) goja.Value { return rt.ToValue(fn()) })
		_ = o.DefineAccessorProperty(name, get, nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	method("send", s.send)
	method("ping", s.ping)
	method("close", s.close)
	method("receive", s.receive)
	_ = o.DefineDataProperty("url", rt.ToValue(s.url), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	getter("readyState", func() any { return s.state })
	getter("protocol", func() any { return s.protocol })
	getter("extensions", func() any { return s.extensions })
	getter("bufferedAmount", func() any { return 0 })
	getter("error", func() any { return nullIfEmpty(s.errMsg) })
	getter("closeCode", func() any { return nullIfZero(s.closeCode) })
	getter("closeReason", func() any { return s.closeReason })
	setBinaryType := rt.ToValue(func(c goja.FunctionCall) goja.Value {
		switch t := c.Argument(0).String(); t {
		case "arraybuffer":
			s.binaryType = t
		case "blob":
			s.cl.realm.ThrowDOMException("NotSupportedError", "binaryType 'blob' is not supported: binary messages arrive as ArrayBuffers ('arraybuffer')")
		default:
			s.cl.realm.ThrowTypeError("binaryType must be 'arraybuffer', got %q", t)
		}
		return goja.Undefined()
	})
	getBinaryType := rt.ToValue(func(goja.FunctionCall) goja.Value { return rt.ToValue(s.binaryType) })
	_ = o.DefineAccessorProperty("binaryType", getBinaryType, setBinaryType, goja.FLAG_FALSE, goja.FLAG_TRUE)
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
