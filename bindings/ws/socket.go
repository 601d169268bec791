package ws

import (
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
)

// The ready states of a WebSocket, as browsers number them.
const (
	stateConnecting = iota
	stateOpen
	stateClosing
	stateClosed
)

// eventTypes are the on<type> handlers of a socket.
var eventTypes = []string{"open", "message", "error", "close", "ping", "pong"}

// socket is the JavaScript WebSocket of jsload/ws and k6/websockets: a
// browser-like object over one Conn, with receive() for scripts that block.
// Runtime goroutine only; the Conn's events reach it through its queue.
type socket struct {
	cl     *Client
	obj    *goja.Object
	target *stream.Target
	conn   *Conn
	url    string

	state       int
	protocol    string
	extensions  string
	errMsg      string
	closeCode   int
	closeReason string
}

// newSocket makes the JavaScript object of c on obj (a new WebSocket's this)
// and attaches c's events to the runtime's event loop.
func (cl *Client) newSocket(obj *goja.Object, c *Conn, open bool) *socket {
	s := &socket{cl: cl, obj: obj, conn: c, url: c.URL(), target: stream.NewTarget(cl.rt, obj)}
	if open {
		s.opened()
	}
	stream.Attach(cl.rt, obj, socketKey, s)
	c.Events.Attach(cl.h.Reserve, s.handle)
	return s
}

// handle applies ev to the socket's state and dispatches it to the handlers.
func (s *socket) handle(ev *Event) error {
	t := s.target
	switch ev.Kind {
	case EventOpen:
		s.opened()
		return t.Dispatch("open", t.NewEvent("open", ev.At))
	case EventMessage:
		if !t.Listening("message") {
			return nil
		}
		e := t.NewEvent("message", ev.At)
		_ = e.Set("data", s.data(ev))
		_ = e.Set("origin", s.url)
		return t.Dispatch("message", e)
	case EventPing, EventPong:
		name := map[Kind]string{EventPing: "ping", EventPong: "pong"}[ev.Kind]
		if !t.Listening(name) {
			return nil
		}
		e := t.NewEvent(name, ev.At)
		_ = e.Set("data", string(ev.Data))
		return t.Dispatch(name, e)
	case EventError:
		s.errMsg = ev.Reason
		e := t.NewEvent("error", ev.At)
		_ = e.Set("message", ev.Reason)
		_ = e.Set("error", ev.Reason)
		return t.Dispatch("error", e)
	case EventClose:
		s.state, s.closeCode, s.closeReason = stateClosed, ev.Code, ev.Reason
		e := t.NewEvent("close", ev.At)
		_ = e.Set("code", ev.Code)
		_ = e.Set("reason", ev.Reason)
		_ = e.Set("wasClean", ev.Clean)
		return t.Dispatch("close", e)
	}
	return nil
}

func (s *socket) opened() {
	s.state = stateOpen
	s.protocol, s.extensions = s.conn.Handshake.Protocol, s.conn.Handshake.Extensions
}

// data is a message's data: a string, or an ArrayBuffer for a binary message.
func (s *socket) data(ev *Event) goja.Value {
	if ev.Binary {
		return s.cl.realm.NewArrayBuffer(ev.Data)
	}
	return s.cl.rt.ToValue(string(ev.Data))
}

// receive implements socket.receive([timeout]): the data of the next message,
// or null when timeout elapses first or the socket is (or becomes) closed.
// Other events met on the way (open, ping, error, close) go to their handlers
// first, in order; a message receive returns goes to no handler.
func (s *socket) receive(c goja.FunctionCall) goja.Value {
	timeout, err := bindings.ParseTimeout(c.Argument(0))
	if err != nil {
		s.cl.realm.ThrowTypeError("receive: %v", err)
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	ctx := s.cl.h.Context()
	for {
		left := time.Duration(0)
		if timeout > 0 {
			if left = time.Until(deadline); left <= 0 {
				return goja.Null()
			}
		}
		ev, ok, err := s.conn.Events.Next(ctx, left)
		if err != nil {
			return bindings.WaitFailed(s.cl.h, ctx, err)
		}
		if !ok {
			return goja.Null()
		}
		if ev.Kind == EventMessage {
			return s.data(&ev)
		}
		if err := s.handle(&ev); err != nil {
			stream.Rethrow(s.cl.rt, err)
		}
		if ev.Kind == EventClose {
			return goja.Null()
		}
	}
}

// send implements socket.send(data): a string goes as a text message, an
// ArrayBuffer, typed array or DataView as a binary one. While connecting it
// throws InvalidStateError; once closing or closed the data is dropped, as
// browsers do.
func (s *socket) send(c goja.FunctionCall) goja.Value {
	v := c.Argument(0)
	var data []byte
	binary := false
	if _, isStr := v.Export().(string); isStr || goja.IsUndefined(v) || goja.IsNull(v) {
		data = []byte(v.String())
	} else if b, ok := s.cl.realm.BufferSource(v); ok {
		data, binary = b, true
	} else {
		data = []byte(v.String())
	}
	switch s.state {
	case stateConnecting:
		s.cl.realm.ThrowDOMException("InvalidStateError", "send: the socket is still connecting: send from onopen, or open it with connect()")
	case stateOpen:
		s.conn.Send(binary, data)
	}
	return goja.Undefined()
}

// close implements socket.close([code[, reason]]): code 1000 (the default) or
// 3000–4999, a reason of at most 123 bytes.
func (s *socket) close(c goja.FunctionCall) goja.Value {
	code := CloseNormal
	if v := c.Argument(0); !bindings.IsNullish(v) {
		n := v.ToFloat()
		if n != 1000 && (n < 3000 || n > 4999 || n != float64(int(n))) {
			s.cl.realm.ThrowDOMException("InvalidAccessError", "close: the code must be 1000 or between 3000 and 4999, got %s", v)
		}
		code = int(n)
	}
	reason := ""
	if v := c.Argument(1); !bindings.IsNullish(v) {
		reason = v.String()
		if len(reason) > 123 || !utf8.ValidString(reason) {
			s.cl.realm.ThrowDOMException("SyntaxError", "close: the reason must be at most 123 bytes of UTF-8, got %d", len(reason))
		}
	}
	if s.state == stateConnecting || s.state == stateOpen {
		s.state = stateClosing
		s.conn.Close(code, reason)
	}
	return goja.Undefined()
}

// ping implements socket.ping(): its pong is timed in ws_ping and fires onpong.
func (s *socket) ping(goja.FunctionCall) goja.Value {
	if s.state == stateConnecting {
		s.cl.realm.ThrowDOMException("InvalidStateError", "ping: the socket is still connecting")
	}
	if s.state == stateOpen {
		s.conn.Ping()
	}
	return goja.Undefined()
}
