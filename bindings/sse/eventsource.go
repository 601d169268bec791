package sse

import (
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
)

// The ready states of an EventSource, as browsers number them.
const (
	stateConnecting = iota
	stateOpen
	stateClosed
)

// eventSource is the JavaScript EventSource over one Source. Runtime goroutine
// only; the Source's events reach it through its queue.
type eventSource struct {
	m      *module
	obj    *goja.Object
	target *stream.Target
	src    *Source
	url    string
	state  int
	lastID string
}

func (m *module) newEventSource(obj *goja.Object, src *Source) *eventSource {
	es := &eventSource{m: m, obj: obj, src: src, url: src.URL(), target: stream.NewTarget(m.rt, obj)}
	stream.Attach(m.rt, obj, sourceKey, es)
	src.Events.Attach(m.h.Reserve, es.handle)
	return es
}

// handle applies ev to the state and dispatches it. Once the script has closed
// the source, nothing more is dispatched, as in browsers.
func (es *eventSource) handle(ev *Event) error {
	if es.state == stateClosed {
		return nil
	}
	t := es.target
	switch ev.Kind {
	case EventOpen:
		es.state = stateOpen
		return t.Dispatch("open", t.NewEvent("open", ev.At))
	case EventMessage:
		es.lastID = ev.LastID
		if !t.Listening(ev.Type) {
			return nil
		}
		e := t.NewEvent(ev.Type, ev.At)
		_ = e.Set("data", ev.Data)
		_ = e.Set("lastEventId", ev.LastID)
		_ = e.Set("origin", es.url)
		return t.Dispatch(ev.Type, e)
	case EventError:
		es.state = stateConnecting
		if !ev.Reconnecting {
			es.state = stateClosed
		}
		e := t.NewEvent("error", ev.At)
		_ = e.Set("message", ev.Reason)
		_ = e.Set("status", ev.Status)
		return t.Dispatch("error", e)
	case EventClosed:
		es.state = stateClosed
	}
	return nil
}

// receive implements es.receive([timeout]): the next event as {type, data,
// lastEventId}, or null when timeout elapses first or the source is (or
// becomes) closed. Open and error events met on the way go to their handlers.
func (es *eventSource) receive(c goja.FunctionCall) goja.Value {
	timeout, err := bindings.ParseTimeout(c.Argument(0))
	if err != nil {
		es.m.realm.ThrowTypeError("receive: %v", err)
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	ctx := es.m.h.Context()
	for es.state != stateClosed {
		left := time.Duration(0)
		if timeout > 0 {
			if left = time.Until(deadline); left <= 0 {
				break
			}
		}
		ev, ok, err := es.src.Events.Next(ctx, left)
		if err != nil {
			return bindings.WaitFailed(es.m.h, ctx, err)
		}
		if !ok {
			break
		}
		if ev.Kind == EventMessage {
			es.lastID = ev.LastID
			o := es.m.rt.NewObject()
			_ = o.Set("type", ev.Type)
			_ = o.Set("data", ev.Data)
			_ = o.Set("lastEventId", ev.LastID)
			return o
		}
		if err := es.handle(&ev); err != nil {
			stream.Rethrow(es.m.rt, err)
		}
	}
	return goja.Null()
}

// close implements es.close(): no more events, no reconnection.
func (es *eventSource) close(goja.FunctionCall) goja.Value {
	es.state = stateClosed
	es.src.Close()
	return goja.Undefined()
}

// sourceKey holds each EventSource's state in its object.
var sourceKey = goja.NewSymbol("jsload.sse.source")

// sourceOf returns the state of the EventSource this, throwing "Illegal
// invocation" for anything else.
func (m *module) sourceOf(this goja.Value) *eventSource {
	es, ok := stream.Attached(this, sourceKey).(*eventSource)
	if !ok {
		m.realm.ThrowTypeError("Illegal invocation")
	}
	return es
}

// definePrototype puts the EventSource methods and accessors on proto.
func (m *module) definePrototype(proto *goja.Object) {
	rt := m.rt
	stream.DefineTarget(rt, proto, func(this goja.Value) *stream.Target { return m.sourceOf(this).target }, "open", "message", "error")
	method := func(name string, fn func(es *eventSource, c goja.FunctionCall) goja.Value) {
		f := rt.ToValue(func(c goja.FunctionCall) goja.Value { return fn(m.sourceOf(c.This), c) })
		_ = proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	getter := func(name string, fn func(es *eventSource) any) {
		get := rt.ToValue(func(c goja.FunctionCall) goja.Value { return rt.ToValue(fn(m.sourceOf(c.This))) })
		_ = proto.DefineAccessorProperty(name, get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	method("close", (*eventSource).close)
	method("receive", (*eventSource).receive)
	getter("url", func(es *eventSource) any { return es.url })
	getter("withCredentials", func(*eventSource) any { return true })
	getter("readyState", func(es *eventSource) any { return es.state })
	getter("lastEventId", func(es *eventSource) any { return es.lastID })
}
