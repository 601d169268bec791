package stream

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// Rethrow ends a binding with err, an error a JavaScript callback returned: an
// exception is thrown on as it is, an interrupt goes on unwinding the runtime,
// anything else becomes an Error.
func Rethrow(rt *goja.Runtime, err error) {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		panic(ex)
	}
	var intr *goja.InterruptedError
	if errors.As(err, &intr) {
		panic(intr)
	}
	bindings.Throw(rt, err)
}

// ParseTags reads params.tags: the name tag apart, the others as key, value
// pairs in the object's order.
func ParseTags(v goja.Value) (string, []string, error) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return "", nil, fmt.Errorf("want an object of tag names and values, got %s", v)
	}
	name, kv := "", []string(nil)
	for _, k := range obj.Keys() {
		val := obj.Get(k).String()
		if k == "name" {
			name = val
			continue
		}
		kv = append(kv, k, val)
	}
	return name, kv, nil
}

// SampleTags are the tags of a stream's samples: the runtime's (h.Tags), url
// and name, both the URL raw (name, the name params.tags gave, in their place
// when not ""), and params.tags' others, tags.
func SampleTags(h bindings.Host, raw, name string, tags []string) metrics.Tags {
	kv := []string{"url", raw, "name", raw}
	if name != "" {
		kv = []string{"name", name}
	}
	return h.Tags().Merge(metrics.NewTags(append(kv, tags...)...))
}

// DefineLazy defines obj[name] as a read-only property whose value make makes
// on first read (make caches it), so a runtime that never reads it does not
// pay for it.
func DefineLazy(rt *goja.Runtime, obj *goja.Object, name string, make func() *goja.Object) {
	get := rt.ToValue(func(goja.FunctionCall) goja.Value { return make() })
	_ = obj.DefineAccessorProperty(name, get, nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
}
