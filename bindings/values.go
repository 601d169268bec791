package bindings

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/metrics"
)

// IsNullish reports whether v is missing, undefined or null: an argument or
// option left out.
func IsNullish(v goja.Value) bool { return v == nil || goja.IsUndefined(v) || goja.IsNull(v) }

// ParseTimeout reads an optional timeout argument: undefined or null for none, a
// number of milliseconds, or a duration string ("5s", "250ms", "1m30s").
func ParseTimeout(v goja.Value) (time.Duration, error) {
	if IsNullish(v) {
		return 0, nil
	}
	switch e := v.Export().(type) {
	case int64:
		if e < 0 {
			return 0, fmt.Errorf("invalid timeout %d: it must not be negative", e)
		}
		return time.Duration(e) * time.Millisecond, nil
	case float64:
		if e < 0 || math.IsNaN(e) {
			return 0, fmt.Errorf("invalid timeout %v: it must be a number of milliseconds ≥ 0", e)
		}
		return time.Duration(e * float64(time.Millisecond)), nil
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(e))
		if err != nil || d < 0 {
			return 0, fmt.Errorf("invalid timeout %q: write a duration such as '5s' or '250ms', or a number of milliseconds", e)
		}
		return d, nil
	}
	return 0, fmt.Errorf("invalid timeout %s: write a duration such as '5s' or '250ms', or a number of milliseconds", v)
}

// TagsOf converts an object of tag names and values (a check's or a metric
// sample's tags) into Tags; values are converted to strings.
func TagsOf(obj *goja.Object) metrics.Tags {
	keys := obj.Keys()
	kv := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		kv = append(kv, k, obj.Get(k).String())
	}
	return metrics.NewTags(kv...)
}

// ToJS converts a JSON-like Go value (string, int64, float64, bool, nil, []any,
// map[string]any) into a fresh JavaScript value owned by rt. Composite values are
// copied, never wrapped, so no script can change Go data another goroutine reads;
// object keys come in sorted order.
func ToJS(rt *goja.Runtime, v any) goja.Value {
	switch v := v.(type) {
	case nil:
		return goja.Null()
	case []any:
		items := make([]any, len(v))
		for i, e := range v {
			items[i] = ToJS(rt, e)
		}
		return rt.NewArray(items...)
	case map[string]any:
		// Go maps have no order: sorted keys make JSON.stringify of a value read
		// back the same on every run.
		obj := rt.NewObject()
		for _, k := range slices.Sorted(maps.Keys(v)) {
			_ = obj.Set(k, ToJS(rt, v[k]))
		}
		return obj
	}
	return rt.ToValue(v)
}

// MaxValueDepth is the deepest nesting of a value FromJS converts: stored data
// (the dictionary, the test-wide store, a background script's args) is never that
// deep, and a deeper value would make every later conversion of it costly.
const MaxValueDepth = 1000

// ValueError says why a JavaScript value cannot be stored: what is wrong, where
// in the value (a path such as tree.children[0].parent), and what to do.
type ValueError struct {
	Name   string // what the value is called: a key, a list name, "args"; "" for "the value"
	Path   string // where in the value, from its name; "" for the value itself
	Reason string // "is cyclic (...)", "holds a function", ...
	Hint   string // what to do
}

// Error implements error.
func (e *ValueError) Error() string {
	what := "the value"
	if e.Name != "" {
		what = fmt.Sprintf("value for '%s'", e.Name)
	}
	if e.Path != "" {
		return fmt.Sprintf("%s %s at %s: %s", what, e.Reason, e.Path, e.Hint)
	}
	return fmt.Sprintf("%s %s: %s", what, e.Reason, e.Hint)
}

const storeData = "store data (strings, numbers, booleans, arrays, objects)"

// FromJS converts a JavaScript value into a JSON-like Go value (nil, string,
// int64, float64, bool, []any, map[string]any), copied, so no goja value is ever
// stored. Functions, symbols, BigInts, cycles, values nested deeper than
// MaxValueDepth and objects other than plain objects, arrays and boxed primitives
// are a *ValueError. The walk is bounded by MaxValueDepth: a Go stack overflow,
// which no recover can catch, cannot happen here.
func FromJS(v goja.Value) (any, error) { return FromJSFor("", v) }

// FromJSFor is FromJS for a value called name in messages (a dictionary key,
// a list name, "args"): "value for 'tree' is cyclic ...".
func FromJSFor(name string, v goja.Value) (any, error) {
	c := converter{name: name}
	out, err := c.convert(v, 0)
	if err != nil {
		err.Name = name
		return nil, err
	}
	return out, nil
}

// converter is one FromJS walk: the objects on the path from the root to the
// value being converted, with the key of each, to find cycles and name paths.
type converter struct {
	name    string
	path    []*goja.Object
	keys    []string
	onPath  map[*goja.Object]int // index in path, once the path is long
	pending string               // the key of the value being converted
}

func (c *converter) convert(v goja.Value, depth int) (any, *ValueError) {
	if IsNullish(v) {
		return nil, nil
	}
	obj, isObj := v.(*goja.Object)
	if !isObj {
		return c.primitive(v)
	}
	if _, isFn := goja.AssertFunction(obj); isFn {
		return nil, c.fail("holds a function", storeData)
	}
	switch obj.ClassName() {
	case "Array":
		return c.enter(obj, depth, c.array)
	case "Object", "Error", "Arguments":
		if t := obj.ExportType(); t != nil && t.Kind() != reflect.Map {
			// A Map or Set, or a Go value the runtime wraps (a binding's object).
			what := fmt.Sprintf("a Go value of type %s", t)
			if ctor, ok := obj.Get("constructor").(*goja.Object); ok {
				if n := ctor.Get("name"); n != nil && n.String() != "" && n.String() != "Object" {
					what = "a " + n.String()
				}
			}
			return nil, c.fail("holds "+what, storeData)
		}
		return c.enter(obj, depth, c.object)
	case "Number":
		return c.primitive(obj.ToNumber())
	case "String":
		return obj.String(), nil
	case "Boolean":
		return obj.ToNumber().ToInteger() != 0, nil
	}
	return nil, c.fail("holds a "+obj.ClassName(), storeData+"; convert it first, e.g. date.toISOString()")
}

func (c *converter) primitive(v any) (any, *ValueError) {
	if gv, ok := v.(goja.Value); ok {
		switch {
		case goja.IsBigInt(gv):
			return nil, c.fail("holds a BigInt", "store it as a string (String(n)) or a number")
		case goja.IsString(gv):
			return gv.String(), nil
		}
		if _, isSym := gv.(*goja.Symbol); isSym {
			return nil, c.fail("holds a symbol", storeData)
		}
		v = gv.Export()
	}
	switch v := v.(type) {
	case string, bool, int64, float64:
		return v, nil
	case int:
		return int64(v), nil
	}
	return nil, c.fail(fmt.Sprintf("holds a value of type %T", v), storeData)
}

// enter converts the object obj with conv, checking first that it is not one of
// its own ancestors and that the nesting is not too deep.
func (c *converter) enter(obj *goja.Object, depth int, conv func(*goja.Object, int) (any, *ValueError)) (any, *ValueError) {
	if at := c.ancestor(obj); at >= 0 {
		return nil, &ValueError{Reason: fmt.Sprintf("is cyclic (%s refers back to %s)", c.pendingPath(), c.pathTo(at)),
			Hint: "store an id instead of the object, or a copy without the back reference"}
	}
	if depth >= MaxValueDepth {
		return nil, c.fail(fmt.Sprintf("is nested more than %d levels deep", MaxValueDepth), "store flatter data")
	}
	c.path = append(c.path, obj)
	c.keys = append(c.keys, c.pending)
	if c.onPath != nil {
		c.onPath[obj] = len(c.path) - 1
	} else if len(c.path) > 32 { // past a typical depth, a map beats the scan
		c.onPath = make(map[*goja.Object]int, 64)
		for i, o := range c.path {
			c.onPath[o] = i
		}
	}
	out, err := conv(obj, depth+1)
	last := len(c.path) - 1
	if c.onPath != nil {
		delete(c.onPath, obj)
	}
	c.path, c.keys = c.path[:last], c.keys[:last]
	return out, err
}

// ancestor returns the index of obj on the path, or -1.
func (c *converter) ancestor(obj *goja.Object) int {
	if c.onPath != nil {
		if i, ok := c.onPath[obj]; ok {
			return i
		}
		return -1
	}
	for i, o := range c.path {
		if o == obj {
			return i
		}
	}
	return -1
}

func (c *converter) array(arr *goja.Object, depth int) (any, *ValueError) {
	n := arr.Get("length").ToInteger()
	out := make([]any, n)
	for i := range out {
		c.pending = "[" + strconv.Itoa(i) + "]"
		x, err := c.convert(arr.Get(strconv.Itoa(i)), depth)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

func (c *converter) object(obj *goja.Object, depth int) (any, *ValueError) {
	keys := obj.Keys()
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		c.pending = "." + k
		x, err := c.convert(obj.Get(k), depth)
		if err != nil {
			return nil, err
		}
		out[k] = x
	}
	return out, nil
}

// fail is a *ValueError at the value being converted.
func (c *converter) fail(reason, hint string) *ValueError {
	e := &ValueError{Reason: reason, Hint: hint}
	if len(c.path) > 0 {
		e.Path = c.pendingPath()
	}
	return e
}

// pathTo names the object at index i of the path from the root, as JavaScript
// would reach it: "tree.children[0]".
func (c *converter) pathTo(i int) string {
	root := c.name
	if root == "" {
		root = "value"
	}
	return root + strings.Join(c.keys[1:i+1], "")
}

// pendingPath names the value being converted.
func (c *converter) pendingPath() string { return c.pathTo(len(c.path)-1) + c.pending }
