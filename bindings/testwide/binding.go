package testwide

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

type storeKey struct{}

// For returns the test-wide store, the same for every runtime of every VU: the
// one Install put there, else an in-process Store.
func For(h bindings.Host) Backend {
	return h.TestLocal(storeKey{}, func() any { return Local(&Store{}) }).(Backend)
}

// Exports are the store's names: the `shared` object.
var Exports = []bindings.Export{
	{Name: "shared", New: newObject},
}

// method is one method of the `shared` object, bound to a runtime.
type method func(h bindings.Host, s Backend, call goja.FunctionCall) goja.Value

var methods = []struct {
	name string
	fn   method
}{
	{"get", get}, {"set", set}, {"increment", increment},
	{"push", push}, {"pop", pop}, {"size", size},
}

// newObject builds the `shared` object of one runtime. Its methods copy values in
// (bindings.FromJSFor) and out (bindings.ToJS), so no goja value is ever stored.
func newObject(h bindings.Host) any {
	rt := h.Goja()
	s := For(h)
	obj := rt.NewObject()
	for _, m := range methods {
		fn := m.fn
		_ = obj.Set(m.name, func(call goja.FunctionCall) goja.Value { return fn(h, s, call) })
	}
	return obj
}

// fail throws err as an Error of shared.name(key).
func fail(h bindings.Host, name, key string, err error) {
	bindings.Throw(h.Goja(), fmt.Errorf("shared.%s(%q): %w", name, key, err))
}

// keyArg reads the key or list name, the first argument of every method.
func keyArg(h bindings.Host, name string, call goja.FunctionCall) string {
	a := call.Argument(0)
	if goja.IsUndefined(a) || goja.IsNull(a) {
		what := "key"
		if name == "push" || name == "pop" || name == "size" {
			what = "list name"
		}
		bindings.Throw(h.Goja(), fmt.Errorf("shared.%s: the %s is missing: give it as the first argument, e.g. shared.%s('orders')", name, what, name))
	}
	return a.String()
}

// get(key[, default]): the value, else default, else null.
func get(h bindings.Host, s Backend, call goja.FunctionCall) goja.Value {
	key := keyArg(h, "get", call)
	v, ok, err := s.Get(h.Context(), key)
	if err != nil {
		fail(h, "get", key, err)
	}
	if !ok {
		if len(call.Arguments) > 1 {
			return call.Arguments[1]
		}
		return goja.Null()
	}
	return bindings.ToJS(h.Goja(), v)
}

// set(key, value): stores a copy of value; null or undefined removes the key.
func set(h bindings.Host, s Backend, call goja.FunctionCall) goja.Value {
	key := keyArg(h, "set", call)
	v, err := bindings.FromJSFor(key, call.Argument(1))
	if err != nil {
		fail(h, "set", key, err)
	}
	if err := s.Set(h.Context(), key, v); err != nil {
		fail(h, "set", key, err)
	}
	return goja.Undefined()
}

// increment(key[, by]): adds by (default 1) atomically; returns the new value.
func increment(h bindings.Host, s Backend, call goja.FunctionCall) goja.Value {
	key := keyArg(h, "increment", call)
	var by any = int64(1)
	if a := call.Argument(1); !goja.IsUndefined(a) {
		by = a.Export()
	}
	v, err := s.Increment(h.Context(), key, by)
	if err != nil {
		fail(h, "increment", key, err)
	}
	return h.Goja().ToValue(v)
}

// push(list, value): appends a copy of value.
func push(h bindings.Host, s Backend, call goja.FunctionCall) goja.Value {
	name := keyArg(h, "push", call)
	v, err := bindings.FromJSFor(name, call.Argument(1))
	if err == nil && v == nil {
		err = errors.New("null and undefined cannot be pushed, as pop returns null on timeout: push data (strings, numbers, booleans, arrays, objects)")
	}
	if err != nil {
		fail(h, "push", name, err)
	}
	if err := s.Push(h.Context(), name, v); err != nil {
		fail(h, "push", name, err)
	}
	return goja.Undefined()
}

// pop(list[, timeout]): the oldest value, waiting for one without limit or up to
// timeout (then null). If the runtime is stopped meanwhile, the script is
// interrupted and no value is taken.
func pop(h bindings.Host, s Backend, call goja.FunctionCall) goja.Value {
	name := keyArg(h, "pop", call)
	timeout, err := bindings.ParseTimeout(call.Argument(1))
	if err != nil {
		fail(h, "pop", name, err)
	}
	ctx := h.WaitContext()
	v, ok, err := s.Pop(ctx, name, timeout)
	if err != nil && ctx.Err() == nil {
		fail(h, "pop", name, err)
	}
	if err != nil {
		return bindings.WaitFailed(h, ctx, err)
	}
	if !ok {
		return goja.Null()
	}
	return bindings.ToJS(h.Goja(), v)
}

// size(list): the number of values queued.
func size(h bindings.Host, s Backend, call goja.FunctionCall) goja.Value {
	name := keyArg(h, "size", call)
	n, err := s.Size(h.Context(), name)
	if err != nil {
		fail(h, "size", name, err)
	}
	return h.Goja().ToValue(n)
}
