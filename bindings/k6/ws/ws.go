// Package ws is k6's `k6/ws` module on jsload's WebSocket client
// (bindings/ws): ws.connect(url[, params], fn) opens the socket, runs fn with
// it to set handlers (socket.on('open' | 'message' | 'binaryMessage' | 'ping' |
// 'pong' | 'close' | 'error', fn)), then runs the socket's events and its own
// timers (socket.setTimeout, socket.setInterval) until it closes, and returns
// the handshake's response. As in k6, connect blocks: nothing else of the
// calling script runs meanwhile (jsload's background scripts are the way to
// run a stream beside the main flow).
//
// Unlike k6, it refuses unknown params (an error names the known ones).
package ws

import (
	"errors"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
	wsbind "github.com/jsload/jsload/bindings/ws"
)

// Module builds the exports of `k6/ws` for the runtime of h.
func Module(h bindings.Host) *goja.Object {
	m := &module{cl: wsbind.ClientOf(h), rt: h.Goja()}
	o := m.rt.NewObject()
	_ = o.Set("connect", m.connect)
	return o
}

type module struct {
	cl *wsbind.Client
	rt *goja.Runtime
}

// connect implements ws.connect(url[, params], fn).
func (m *module) connect(call goja.FunctionCall) goja.Value {
	params, fnV := call.Argument(1), call.Argument(2)
	if len(call.Arguments) == 2 {
		params, fnV = goja.Undefined(), call.Argument(1)
	}
	fn, ok := goja.AssertFunction(fnV)
	if !ok {
		panic(m.rt.NewTypeError("ws.connect: the last argument must be a function that sets the socket's handlers"))
	}
	raw, opts, err := m.cl.Options(call.Argument(0), params, nil)
	if err != nil {
		bindings.Throw(m.rt, err)
	}
	h := m.cl.Host()
	c, err := m.cl.Dial(raw, opts)
	if err != nil {
		if ctx := h.Context(); ctx.Err() != nil {
			return bindings.WaitFailed(h, ctx, err)
		}
		return m.response(raw, err, nil)
	}
	defer c.Stop()
	s := &socket{m: m, conn: c, handlers: map[string][]goja.Callable{}}
	obj := s.object()
	if _, err := fn(goja.Undefined(), obj); err != nil {
		stream.Rethrow(m.rt, err)
	}
	if err := s.emit("open"); err != nil {
		stream.Rethrow(m.rt, err)
	}
	if err := s.loop(); err != nil {
		stream.Rethrow(m.rt, err)
	}
	return m.response(raw, nil, c)
}

// response is what connect returns: {url, status, headers, body, error}.
func (m *module) response(raw string, err error, c *wsbind.Conn) goja.Value {
	o := m.rt.NewObject()
	_ = o.Set("url", raw)
	hs := wsbind.Handshake{}
	var he *wsbind.HandshakeError
	if c != nil {
		hs = c.Handshake
	} else if errors.As(err, &he) {
		hs = he.Handshake
	}
	headers := m.rt.NewObject()
	for k, v := range hs.Header {
		_ = headers.Set(k, v)
	}
	_ = o.Set("status", hs.Status)
	_ = o.Set("headers", headers)
	_ = o.Set("body", hs.Body)
	if err != nil {
		_ = o.Set("error", err.Error())
	} else {
		_ = o.Set("error", "")
	}
	return o
}

// socket is the object fn receives; runtime goroutine only.
type socket struct {
	m         *module
	conn      *wsbind.Conn
	handlers  map[string][]goja.Callable
	timers    []*timer
	closeCode int // the code of the script's close(), reported to its close handlers
}

type timer struct {
	due      time.Time
	interval time.Duration // 0 for setTimeout
	fn       goja.Callable
}

func (s *socket) object() *goja.Object {
	rt := s.m.rt
	o := rt.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = o.Set(name, fn) }
	set("on", func(c goja.FunctionCall) goja.Value {
		if fn, ok := goja.AssertFunction(c.Argument(1)); ok {
			name := c.Argument(0).String()
			s.handlers[name] = append(s.handlers[name], fn)
		}
		return goja.Undefined()
	})
	set("send", func(c goja.FunctionCall) goja.Value {
		s.conn.Send(false, []byte(c.Argument(0).String()))
		return goja.Undefined()
	})
	set("sendBinary", s.sendBinary)
	set("ping", func(goja.FunctionCall) goja.Value { s.conn.Ping(); return goja.Undefined() })
	set("close", func(c goja.FunctionCall) goja.Value {
		code := wsbind.CloseGoingAway // k6's default
		if v := c.Argument(0); !bindings.IsNullish(v) {
			code = int(v.ToInteger())
		}
		if s.closeCode == 0 {
			s.closeCode = code
			s.conn.Close(code, "")
		}
		return goja.Undefined()
	})
	set("setTimeout", func(c goja.FunctionCall) goja.Value { return s.setTimer(c, false) })
	set("setInterval", func(c goja.FunctionCall) goja.Value { return s.setTimer(c, true) })
	return o
}

func (s *socket) sendBinary(c goja.FunctionCall) goja.Value {
	ab, ok := c.Argument(0).Export().(goja.ArrayBuffer)
	if !ok {
		panic(s.m.rt.NewTypeError("sendBinary: want an ArrayBuffer, got " + c.Argument(0).String()))
	}
	s.conn.Send(true, ab.Bytes())
	return goja.Undefined()
}

func (s *socket) setTimer(c goja.FunctionCall, interval bool) goja.Value {
	fn, ok := goja.AssertFunction(c.Argument(0))
	ms := c.Argument(1).ToFloat()
	if !ok || !(ms > 0) {
		panic(s.m.rt.NewTypeError("setTimeout/setInterval: want a function and a delay in ms > 0"))
	}
	d := time.Duration(ms * float64(time.Millisecond))
	t := &timer{due: time.Now().Add(d), fn: fn}
	if interval {
		t.interval = d
	}
	s.timers = append(s.timers, t)
	return goja.Undefined()
}
