// Package data is k6/data: SharedArray, a read-only array built once per run by
// the first VU that constructs it (its function runs once) and shared by every
// VU in Go memory, one JSON text per element, converted to a frozen JavaScript
// value on each access as k6 does. For data files jsload also has options.data
// and jsload/data, which bind rows to VUs.
package data

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Module builds the exports of k6/data for h's runtime.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	o := rt.NewObject()
	_ = o.Set("SharedArray", func(call goja.ConstructorCall) *goja.Object {
		return construct(h, call)
	})
	return o
}

type arraysKey struct{}

// arrays are the run's SharedArrays by name. Safe for concurrent use.
type arrays struct {
	mu sync.Mutex
	m  map[string]*array
}

// array is one SharedArray: its elements as JSON, built once. mu is held while
// it is built, so the other VUs wait for the first; a failed build leaves it
// unbuilt for the next VU to try.
type array struct {
	mu    sync.Mutex
	built bool
	elems []string
}

func sharedArrays(h bindings.Host) *arrays {
	return h.TestLocal(arraysKey{}, func() any { return &arrays{m: map[string]*array{}} }).(*arrays)
}

func (a *arrays) get(name string) *array {
	a.mu.Lock()
	defer a.mu.Unlock()
	arr := a.m[name]
	if arr == nil {
		arr = &array{}
		a.m[name] = arr
	}
	return arr
}

// construct implements new SharedArray(name, fn).
func construct(h bindings.Host, call goja.ConstructorCall) *goja.Object {
	rt := h.Goja()
	name := call.Argument(0).String()
	fn, isFn := goja.AssertFunction(call.Argument(1))
	switch {
	case goja.IsUndefined(call.Argument(0)) || name == "":
		bindings.Throw(rt, errors.New("new SharedArray(name, fn): give the array a name"))
	case !isFn:
		bindings.Throw(rt, fmt.Errorf("new SharedArray(%q, fn): the second argument must be a function that returns the array", name))
	case !h.InitContext():
		bindings.Throw(rt, fmt.Errorf("new SharedArray(%q): construct it in the init context (the script's top level), as in k6", name))
	}
	arr := sharedArrays(h).get(name)
	arr.mu.Lock()
	defer arr.mu.Unlock()
	if !arr.built {
		elems, err := build(rt, name, fn)
		var intr *goja.InterruptedError
		if errors.As(err, &intr) {
			panic(intr)
		} else if err != nil {
			bindings.Throw(rt, err) // an exception of fn's goes on as it is
		}
		arr.elems, arr.built = elems, true
	}
	return rt.NewDynamicArray(newView(rt, name, arr.elems))
}

// build runs fn and turns each element of the array it returns into JSON.
func build(rt *goja.Runtime, name string, fn goja.Callable) ([]string, error) {
	v, err := fn(goja.Undefined())
	if err != nil {
		return nil, err
	}
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() != "Array" {
		return nil, fmt.Errorf("new SharedArray(%q, fn): fn must return an array, got %s", name, v)
	}
	stringify, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	n := obj.Get("length").ToInteger()
	elems := make([]string, n)
	for i := range n {
		s, err := stringify(goja.Undefined(), obj.Get(fmt.Sprint(i)))
		if err != nil {
			return nil, err
		}
		if goja.IsUndefined(s) {
			elems[i] = "null"
		} else {
			elems[i] = s.String()
		}
	}
	return elems, nil
}

// view is one runtime's SharedArray object (a goja.DynamicArray over the shared
// elements); it belongs to that runtime's goroutine.
type view struct {
	rt     *goja.Runtime
	name   string
	elems  []string // shared, never changed
	parse  goja.Callable
	freeze goja.Callable
}

func newView(rt *goja.Runtime, name string, elems []string) *view {
	json, object := rt.Get("JSON").ToObject(rt), rt.Get("Object").ToObject(rt)
	parse, _ := goja.AssertFunction(json.Get("parse"))
	freeze, _ := goja.AssertFunction(object.Get("freeze"))
	return &view{rt: rt, name: name, elems: elems, parse: parse, freeze: freeze}
}

// Len implements goja.DynamicArray.
func (v *view) Len() int { return len(v.elems) }

// Get implements goja.DynamicArray: the element, parsed and deeply frozen.
func (v *view) Get(i int) goja.Value {
	if i < 0 || i >= len(v.elems) {
		return goja.Undefined()
	}
	val, err := v.parse(goja.Undefined(), v.rt.ToValue(v.elems[i]))
	if err != nil {
		panic(err)
	}
	v.deepFreeze(val)
	return val
}

func (v *view) deepFreeze(val goja.Value) {
	obj, ok := val.(*goja.Object)
	if !ok {
		return // primitives are immutable
	}
	if _, err := v.freeze(goja.Undefined(), obj); err != nil {
		panic(err)
	}
	for _, k := range obj.Keys() {
		v.deepFreeze(obj.Get(k)) // JSON has no cycles
	}
}

// Set implements goja.DynamicArray: SharedArrays are read-only.
func (v *view) Set(int, goja.Value) bool {
	panic(v.rt.NewTypeError(fmt.Sprintf("SharedArray %q is read-only", v.name)))
}

// SetLen implements goja.DynamicArray.
func (v *view) SetLen(int) bool {
	panic(v.rt.NewTypeError(fmt.Sprintf("SharedArray %q is read-only", v.name)))
}
