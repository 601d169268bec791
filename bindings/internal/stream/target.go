package stream

import (
	"fmt"
	"slices"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Target is the EventTarget state of one JavaScript object (a WebSocket, an
// EventSource): its on<type> handlers and its listeners. DefineTarget puts the
// accessors and methods that reach it on the class's prototype, so an
// instance carries no function of its own. Runtime goroutine only.
type Target struct {
	rt        *goja.Runtime
	this      *goja.Object
	on        map[string]goja.Callable
	listeners map[string][]listener
}

type listener struct {
	val  goja.Value // the function as given, to find it again in removeEventListener
	fn   goja.Callable
	once bool
}

// NewTarget returns the Target of the object this.
func NewTarget(rt *goja.Runtime, this *goja.Object) *Target { return &Target{rt: rt, this: this} }

// DefineTarget defines on proto an on<type> accessor for each of types, and
// addEventListener(type, fn[, {once}]) and removeEventListener(type, fn), for
// the instances whose Target of finds (of throws for any other this).
func DefineTarget(rt *goja.Runtime, proto *goja.Object, of func(this goja.Value) *Target, types ...string) {
	for _, typ := range types {
		name := "on" + typ
		get := rt.ToValue(func(c goja.FunctionCall) goja.Value {
			if fn, ok := of(c.This).on[typ]; ok {
				return rt.ToValue(fn)
			}
			return goja.Null()
		})
		set := rt.ToValue(func(c goja.FunctionCall) goja.Value {
			of(c.This).setOn(name, typ, c.Argument(0))
			return goja.Undefined()
		})
		_ = proto.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	method := func(name string, fn func(t *Target, c goja.FunctionCall)) {
		f := rt.ToValue(func(c goja.FunctionCall) goja.Value {
			fn(of(c.This), c)
			return goja.Undefined()
		})
		_ = proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	method("addEventListener", (*Target).addEventListener)
	method("removeEventListener", (*Target).removeEventListener)
}

func (t *Target) setOn(name, typ string, v goja.Value) {
	if bindings.IsNullish(v) {
		delete(t.on, typ)
		return
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		panic(t.rt.NewTypeError(fmt.Sprintf("%s must be a function or null, got %s", name, v)))
	}
	if t.on == nil {
		t.on = map[string]goja.Callable{}
	}
	t.on[typ] = fn
}

func (t *Target) addEventListener(c goja.FunctionCall) {
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
			return // added once, as in browsers
		}
	}
	if t.listeners == nil {
		t.listeners = map[string][]listener{}
	}
	t.listeners[typ] = append(t.listeners[typ], listener{val: c.Argument(1), fn: fn, once: once})
}

func (t *Target) removeEventListener(c goja.FunctionCall) {
	typ := c.Argument(0).String()
	t.listeners[typ] = slices.DeleteFunc(t.listeners[typ], func(l listener) bool { return l.val.SameAs(c.Argument(1)) })
}

// Listening reports whether a handler or listener of typ is set.
func (t *Target) Listening(typ string) bool {
	_, on := t.on[typ]
	return on || len(t.listeners[typ]) > 0
}

// NewEvent returns an event object: {type, target, timeStamp} (timeStamp in
// milliseconds since the epoch), to which the caller adds its fields.
func (t *Target) NewEvent(typ string, at time.Time) *goja.Object {
	ev := t.rt.NewObject()
	_ = ev.Set("type", typ)
	_ = ev.Set("target", t.this)
	_ = ev.Set("timeStamp", float64(at.UnixNano())/1e6)
	return ev
}

// Dispatch calls the on<type> handler, then the listeners of typ in the order
// they were added, with this = the target's object. The first exception stops
// the dispatch and is returned.
func (t *Target) Dispatch(typ string, ev goja.Value) error {
	if fn, ok := t.on[typ]; ok {
		if _, err := fn(t.this, ev); err != nil {
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
		if _, err := l.fn(t.this, ev); err != nil {
			return err
		}
	}
	return nil
}

// Holder hides a Go value in a JavaScript object: a property whose value is an
// object with no properties, which only Go can see through (Export).
type Holder struct{ V any }

func (Holder) Get(string) goja.Value       { return nil }
func (Holder) Set(string, goja.Value) bool { return false }
func (Holder) Has(string) bool             { return false }
func (Holder) Delete(string) bool          { return false }
func (Holder) Keys() []string              { return nil }

// Attach stores v in obj under key, hidden (not enumerable, not writable).
func Attach(rt *goja.Runtime, obj *goja.Object, key *goja.Symbol, v any) {
	_ = obj.DefineDataPropertySymbol(key, rt.NewDynamicObject(Holder{v}), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// Attached returns the value Attach stored in this under key, or nil.
func Attached(this goja.Value, key *goja.Symbol) any {
	obj, ok := this.(*goja.Object)
	if !ok {
		return nil
	}
	if v := obj.GetSymbol(key); v != nil {
		if h, ok := v.Export().(Holder); ok {
			return h.V
		}
	}
	return nil
}
