package sse

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
	"github.com/jsload/jsload/bindings/webapi"
)

// module is `jsload/sse` in one runtime; runtime goroutine only.
type module struct {
	h     bindings.Host
	rt    *goja.Runtime
	realm *webapi.Realm
	rec   *recorder
	ctor  *goja.Object // made on first use: see class
}

// Module builds the exports of `jsload/sse` for the runtime of h: the
// EventSource class (made on first use), connect, and the ready-state
// constants.
func Module(h bindings.Host) *goja.Object {
	m := &module{h: h, rt: h.Goja(), realm: webapi.RealmOf(h.Goja()), rec: &recorder{sink: h.Metrics(), m: metersOf(h)}}
	o := m.rt.NewObject()
	stream.DefineLazy(m.rt, o, "EventSource", m.class)
	_ = o.Set("connect", m.connect)
	m.defineStates(o)
	return o
}

// class returns the EventSource class, made on first use.
func (m *module) class() *goja.Object {
	if m.ctor != nil {
		return m.ctor
	}
	m.ctor = m.rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
		raw, opts, err := newOptions(m.h, call.Argument(0), call.Argument(1))
		if err != nil {
			m.realm.ThrowDOMException("SyntaxError", "new EventSource: %v", err)
		}
		m.newEventSource(call.This, m.start(raw, opts))
		return nil
	}).(*goja.Object)
	_ = m.ctor.DefineDataProperty("name", m.rt.ToValue("EventSource"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	proto := m.ctor.Get("prototype").(*goja.Object)
	m.definePrototype(proto)
	m.defineStates(m.ctor)
	m.defineStates(proto)
	return m.ctor
}

func (m *module) defineStates(o *goja.Object) {
	for i, n := range []string{"CONNECTING", "OPEN", "CLOSED"} {
		_ = o.DefineDataProperty(n, m.rt.ToValue(i), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
}

// start starts a source owned by the call running now: it stops when the call
// ends, at once when the runtime's context does, and closes on a stop request.
func (m *module) start(raw string, opts Options) *Source {
	s := start(m.h.Context(), m.h.StopRequests(), raw, opts, m.rec)
	m.h.OnCallEnd(s.Stop)
	return s
}

// connect implements connect(url[, params]): it returns once the first
// connection is open, or throws saying why it failed; later connections are
// remade as the EventSource's are.
func (m *module) connect(call goja.FunctionCall) goja.Value {
	raw, opts, err := newOptions(m.h, call.Argument(0), call.Argument(1))
	if err != nil {
		m.realm.ThrowTypeError("connect: %v", err)
	}
	obj := m.rt.NewObject()
	_ = obj.SetPrototype(m.class().Get("prototype").(*goja.Object))
	es := m.newEventSource(obj, m.start(raw, opts))
	ctx := m.h.Context()
	for {
		ev, ok, err := es.src.Events.Next(ctx, 0)
		switch {
		case err != nil:
			return bindings.WaitFailed(m.h, ctx, err)
		case !ok:
			bindings.Throw(m.rt, errClosed)
		case ev.Kind == EventOpen:
			es.state = stateOpen
			return obj
		case ev.Kind == EventError:
			es.src.Close() // its queue finishes: the call does not wait for it
			es.state = stateClosed
			bindings.Throw(m.rt, errors.New(ev.Reason))
		}
	}
}
