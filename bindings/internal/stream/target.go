package stream

import (
	"fmt"
	"slices"
	"time"

	"github.com/dop251/goja"
)

// Target is the EventTarget side of a JavaScript object (a WebSocket, an
// EventSource): on<type> handler properties for a fixed list of types, and
// addEventListener/removeEventListener for any type. Runtime goroutine only.
type Target struct {
	rt        *goja.Runtime
	obj       *goja.Object
	on        map[string]goja.Callable
	listeners map[string][]listener
}

type listener struct {
	val  goja.Value // the function as given, to find it again in removeEventListener
	fn   goja.Callable
	once bool
}

// NewTarget defines on obj an on<type> accessor for each of types and the
// methods addEventListener(type, fn[, {once}]) and removeEventListener(type, fn).
func NewTarget(rt *goja.Runtime, obj *goja.Object, types ...string) *Target {
	t := &Target{rt: rt, obj: obj, on: map[string]goja.Callable{}, listeners: map[string][]listener{}}
	for _, typ := range types {
		t.defineOn(typ)
	}
	_ = obj.Set("addEventListener", t.addEventListener)
	_ = obj.Set("removeEventListener", t.removeEventListener)
	return t
}

func (t *Target) defineOn(typ string) {
	name := "on" + typ
	get := t.rt.ToValue(func(goja.FunctionCall) goja.Value {
		if fn, ok := t.on[typ]; ok {
			return t.rt.ToValue(fn)
		}
		return goja.Null()
	})
	set := t.rt.ToValue(func(c goja.FunctionCall) goja.Value {
		v := c.Argument(0)
		if goja.IsUndefined(v) || goja.IsNull(v) {
			delete(t.on, typ)
			return goja.Undefined()
		}
		fn, ok := goja.AssertFunction(v)
		if !ok {
			panic(t.rt.NewTypeError(fmt.Sprintf("%s must be a function or null, got %s", name, v)))
		}
		t.on[typ] = fn
		return goja.Undefined()
	})
	_ = t.obj.DefineAccessorProperty(name, get, set, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

func (t *Target) addEventListener(c goja.FunctionCall) goja.Value {
	typ := c.Argument(0).String()
	fn, ok := goja.AssertFunction(c.Argument(1))
	if !ok {
		panic(t.rt.NewTypeError(fmt.Sprintf("addEventListener(%q, fn): fn must be a function, got %s", typ, c.Argument(1))))
	}
	once := false
	if o, isObj := c.Argument(2).(*goja.Object); isObj {
		once = o.Get("once") != nil && o.Get("once").ToBoolean()
	}
	for _, l := range t.listeners[typ] {
		if l.val.SameAs(c.Argument(1)) {
			return goja.Undefined() // added once, as in browsers
		}
	}
	t.listeners[typ] = append(t.listeners[typ], listener{val: c.Argument(1), fn: fn, once: once})
	return goja.Undefined()
}

func (t *Target) removeEventListener(c goja.FunctionCall) goja.Value {
	typ := c.Argument(0).String()
	t.listeners[typ] = slices.DeleteFunc(t.listeners[typ], func(l listener) bool { return l.val.SameAs(c.Argument(1)) })
	return goja.Undefined()
}

// Listening reports whether a handler or listener of typ is set.
func (t *Target) Listening(typ string) bool {
	_, on := t.on[typ]
	return on || len(t.listeners[typ]) > 0
}

// NewEvent returns an event object: {type, target, timeStamp} (timeStamp in
// milliseconds since the epoch) plus the fields set by fill.
func (t *Target) NewEvent(typ string, at time.Time) *goja.Object {
	ev := t.rt.NewObject()
	_ = ev.Set("type", typ)
	_ = ev.Set("target", t.obj)
	_ = ev.Set("timeStamp", float64(at.UnixNano())/1e6)
	return ev
}

// Dispatch calls the on<type> handler, then the listeners of typ in the order
// they were added, with this = the target's object. The first exception stops
// the dispatch and is returned.
func (t *Target) Dispatch(typ string, ev goja.Value) error {
	if fn, ok := t.on[typ]; ok {
		if _, err := fn(t.obj, ev); err != nil {
			return err
		}
	}
	ls := t.listeners[typ]
	if len(ls) == 0 {
		return nil
	}
	ls = slices.Clone(ls) // a listener may add or remove listeners
	for _, l := range ls {
		if l.once {
			t.listeners[typ] = slices.DeleteFunc(t.listeners[typ], func(x listener) bool { return x.val.SameAs(l.val) })
		}
		if _, err := l.fn(t.obj, ev); err != nil {
			return err
		}
	}
	return nil
}
