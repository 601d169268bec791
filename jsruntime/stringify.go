package jsruntime

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// Why JSON.stringify is written here rather than goja's used: goja's recurses in
// Go without a depth limit and checks for cycles with a linear scan of the
// current path at every object, so a value nested a million levels deep takes
// hours and then overflows Go's stack, which no recover can catch (the process
// dies), and a toJSON that returns a new object each time overflows it without
// ever growing the JavaScript call stack. Neither can be interrupted: goja's
// native code never looks at the runtime's interrupt flag. This one follows the
// same algorithm (ECMA-262 SerializeJSONProperty) and output, byte for byte
// (FuzzStringify compares the two), with a depth limit, a cycle check in
// constant time, and the runtime's context looked at as it goes.

// maxJSONDepth is the deepest nesting JSON.stringify serialises; deeper values
// throw a RangeError, as Node's does (at about the same depth).
const maxJSONDepth = 10000

// jsonCheckEvery is how many values JSON.stringify serialises between two looks
// at the runtime's context.
const jsonCheckEvery = 4096

var (
	typeBigInt        = reflect.TypeOf((*big.Int)(nil))
	typeJSONMarshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	typeJSONEncodable = reflect.TypeOf((*goja.JsonEncodable)(nil)).Elem()
	typeProxy         = reflect.TypeOf(goja.Proxy{})
)

// jsonStop unwinds a JSON.stringify whose runtime was interrupted.
type jsonStop struct{}

// installStringify replaces the runtime's JSON.stringify with r.stringifyJSON.
func (r *scriptRuntime) installStringify() {
	rt := r.rt
	j := rt.Get("JSON").ToObject(rt)
	fn := rt.ToValue(r.stringifyJSON).ToObject(rt)
	_ = fn.DefineDataProperty("name", rt.ToValue("stringify"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = fn.DefineDataProperty("length", rt.ToValue(3), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = j.DefineDataProperty("stringify", fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// jsonState is one JSON.stringify call in progress.
type jsonState struct {
	r        *scriptRuntime
	buf      bytes.Buffer
	replacer goja.Callable
	props    []string // the property list of an array replacer; nil for all
	hasProps bool
	gap      string
	indent   string
	stack    []*goja.Object // the objects being serialised, outermost first
	onStack  map[*goja.Object]struct{}
	keys     []string // the key of each object of stack in its holder
	visited  int

	arrayIsArray goja.Callable // made on first use
}

// stringifyJSON is JSON.stringify(value[, replacer[, space]]).
func (r *scriptRuntime) stringifyJSON(call goja.FunctionCall) (out goja.Value) {
	s := &jsonState{r: r}
	s.options(call.Argument(1), call.Argument(2))
	defer func() {
		if x := recover(); x != nil {
			if _, stopped := x.(jsonStop); !stopped {
				panic(x)
			}
			out = goja.Undefined() // the runtime is interrupted: nothing sees this
		}
	}()
	holder := r.rt.NewObject()
	_ = holder.Set("", call.Argument(0))
	if !s.property("", holder, call.Argument(0)) {
		return goja.Undefined()
	}
	return r.rt.ToValue(s.buf.String())
}

// options reads the replacer and space arguments.
func (s *jsonState) options(replacer, space goja.Value) {
	if obj, ok := replacer.(*goja.Object); ok {
		if fn, isFn := goja.AssertFunction(obj); isFn {
			s.replacer = fn
		} else if s.isArray(obj) {
			s.hasProps = true
			seen := map[string]bool{}
			n := toLength(obj.Get("length"))
			for i := int64(0); i < n; i++ {
				v := obj.Get(indexKey(i))
				var name string
				switch {
				case goja.IsString(v) || goja.IsNumber(v):
					name = v.String()
				case isWrapper(v, "String", "Number"):
					name = v.ToString().String()
				default:
					continue
				}
				if !seen[name] {
					seen[name] = true
					s.props = append(s.props, name)
				}
			}
		}
	}
	if obj, ok := space.(*goja.Object); ok {
		switch obj.ClassName() {
		case "Number":
			space = obj.ToNumber()
		case "String":
			space = obj.ToString()
		}
	}
	switch {
	case goja.IsNumber(space):
		if n := space.ToFloat(); n >= 1 {
			s.gap = strings.Repeat(" ", int(math.Min(10, n)))
		}
	case goja.IsString(space):
		g := space.String()
		if space.(goja.String).Length() > 10 {
			g = space.(goja.String).Substring(0, 10).String()
		}
		s.gap = g
	}
}

// property serialises holder[key], whose value is v, and reports whether it
// produced anything (undefined, functions and symbols produce nothing).
func (s *jsonState) property(key string, holder *goja.Object, v goja.Value) bool {
	rt := s.r.rt
	if s.visited++; s.visited%jsonCheckEvery == 0 {
		s.checkContext()
	}
	if obj, ok := v.(*goja.Object); ok || goja.IsBigInt(v) {
		var toJSON goja.Value
		if ok {
			toJSON = obj.Get("toJSON")
		} else {
			toJSON = v.ToObject(rt).Get("toJSON")
		}
		if fn, isFn := goja.AssertFunction(toJSON); isFn {
			v = s.callJS(fn, v, rt.ToValue(key))
		}
	}
	if s.replacer != nil {
		v = s.callJS(s.replacer, holder, rt.ToValue(key), v)
	}
	if obj, ok := v.(*goja.Object); ok {
		if done, val := s.unwrap(obj); done {
			return true
		} else if val != nil {
			v = val
		}
	}
	return s.value(key, v)
}

// unwrap turns an object standing for a primitive into it (Number, String,
// Boolean and BigInt objects), writes a raw JSON or Go value that encodes itself
// and reports done, or returns nil for an ordinary object.
func (s *jsonState) unwrap(obj *goja.Object) (done bool, v goja.Value) {
	switch obj.ClassName() {
	case "Number":
		return false, obj.ToNumber()
	case "String":
		return false, obj.ToString()
	case "Boolean":
		return false, s.r.rt.ToValue(obj.Export())
	case "BigInt":
		return false, s.r.rt.ToValue(obj.Export())
	case "RawJSON":
		s.buf.WriteString(obj.Get("rawJSON").String())
		return true, nil
	}
	t := obj.ExportType()
	switch {
	case t == nil:
	case t.Implements(typeJSONEncodable):
		return false, s.r.rt.ToValue(obj.Export().(goja.JsonEncodable).JsonEncodable())
	case t.Implements(typeJSONMarshaler):
		b, err := obj.Export().(json.Marshaler).MarshalJSON()
		if err != nil {
			panic(s.r.rt.NewGoError(err))
		}
		s.buf.Write(b)
		return true, nil
	}
	return false, nil
}

// value writes v, its toJSON and replacer already applied.
func (s *jsonState) value(key string, v goja.Value) bool {
	switch {
	case v == nil || goja.IsUndefined(v):
		return false
	case goja.IsNull(v):
		s.buf.WriteString("null")
	case goja.IsString(v):
		s.quote(v)
	case goja.IsNumber(v):
		if f := v.ToFloat(); math.IsNaN(f) || math.IsInf(f, 0) {
			s.buf.WriteString("null")
		} else {
			s.buf.WriteString(v.String())
		}
	case goja.IsBigInt(v):
		panic(s.r.rt.NewTypeError("Do not know how to serialize a BigInt"))
	default:
		obj, ok := v.(*goja.Object)
		if !ok {
			if _, isSymbol := v.(*goja.Symbol); isSymbol {
				return false
			}
			s.buf.WriteString(v.String()) // a boolean
			return true
		}
		if _, isFn := goja.AssertFunction(obj); isFn {
			return false
		}
		s.push(key, obj)
		if s.isArray(obj) {
			s.array(obj)
		} else {
			s.object(obj)
		}
		s.pop()
	}
	return true
}

// push enters obj, the value of key, checking for a cycle and the depth.
func (s *jsonState) push(key string, obj *goja.Object) {
	rt := s.r.rt
	cyclic := false
	if s.onStack != nil {
		_, cyclic = s.onStack[obj]
	} else {
		for _, o := range s.stack {
			if o == obj {
				cyclic = true
				break
			}
		}
	}
	if cyclic {
		panic(rt.NewTypeError("Converting circular structure to JSON: %s refers back to an object that contains it", s.path(key)))
	}
	if len(s.stack) >= maxJSONDepth {
		ctor, _ := goja.AssertConstructor(rt.Get("RangeError"))
		e, err := ctor(nil, rt.ToValue("Maximum call stack size exceeded: JSON.stringify of a value nested more than "+strconv.Itoa(maxJSONDepth)+" levels deep"))
		if err != nil {
			panic(err)
		}
		panic(e)
	}
	s.stack = append(s.stack, obj)
	s.keys = append(s.keys, key)
	if s.onStack != nil {
		s.onStack[obj] = struct{}{}
	} else if len(s.stack) > 32 { // past a typical depth, a set beats the scan
		s.onStack = make(map[*goja.Object]struct{}, 64)
		for _, o := range s.stack {
			s.onStack[o] = struct{}{}
		}
	}
}

func (s *jsonState) pop() {
	last := len(s.stack) - 1
	if s.onStack != nil {
		delete(s.onStack, s.stack[last])
	}
	s.stack, s.keys = s.stack[:last], s.keys[:last]
}

// path names the property key of the innermost object being serialised, as
// JavaScript would reach it from the value: "value.tree.children[0].parent".
func (s *jsonState) path(key string) string {
	var b strings.Builder
	b.WriteString("value")
	for _, k := range append(s.keys[1:len(s.keys):len(s.keys)], key) {
		if _, err := strconv.Atoi(k); err == nil {
			b.WriteString("[" + k + "]")
		} else {
			b.WriteString("." + k)
		}
	}
	return b.String()
}

func (s *jsonState) array(arr *goja.Object) {
	n := toLength(arr.Get("length"))
	if n == 0 {
		s.buf.WriteString("[]")
		return
	}
	stepback := s.indent
	s.indent += s.gap
	s.buf.WriteByte('[')
	for i := int64(0); i < n; i++ {
		if i > 0 {
			s.buf.WriteByte(',')
		}
		s.newline()
		k := indexKey(i)
		if !s.property(k, arr, arr.Get(k)) {
			s.buf.WriteString("null")
		}
	}
	s.indent = stepback
	s.newline()
	s.buf.WriteByte(']')
}

func (s *jsonState) object(obj *goja.Object) {
	keys := s.props
	if !s.hasProps {
		keys = obj.Keys()
	}
	stepback := s.indent
	s.indent += s.gap
	s.buf.WriteByte('{')
	empty := true
	for _, k := range keys {
		mark := s.buf.Len()
		if !empty {
			s.buf.WriteByte(',')
		}
		s.newline()
		s.quoteKey(k)
		s.buf.WriteByte(':')
		if s.gap != "" {
			s.buf.WriteByte(' ')
		}
		if s.property(k, obj, obj.Get(k)) {
			empty = false
		} else {
			s.buf.Truncate(mark)
		}
	}
	s.indent = stepback
	if !empty {
		s.newline()
	}
	s.buf.WriteByte('}')
}

// newline starts a line at the current indentation when there is a gap.
func (s *jsonState) newline() {
	if s.gap != "" {
		s.buf.WriteByte('\n')
		s.buf.WriteString(s.indent)
	}
}

// callJS calls fn from JSON.stringify; an exception it throws propagates to the
// caller of JSON.stringify.
func (s *jsonState) callJS(fn goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := fn(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// checkContext stops the serialisation when the runtime's context is done,
// leaving the runtime interrupted.
func (s *jsonState) checkContext() {
	ctx := s.r.ctx
	if ctx.Err() != nil {
		s.r.rt.Interrupt(context.Cause(ctx))
		panic(jsonStop{})
	}
}

// isArray is Array.isArray: the runtime's own for a proxy, whose target decides.
func (s *jsonState) isArray(obj *goja.Object) bool {
	if obj.ClassName() == "Array" {
		return true
	}
	if obj.ExportType() != typeProxy {
		return false
	}
	if s.arrayIsArray == nil {
		s.arrayIsArray, _ = goja.AssertFunction(s.r.rt.Get("Array").ToObject(s.r.rt).Get("isArray"))
	}
	return s.callJS(s.arrayIsArray, goja.Undefined(), obj).ToBoolean()
}

func isWrapper(v goja.Value, classes ...string) bool {
	obj, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	for _, c := range classes {
		if obj.ClassName() == c {
			return true
		}
	}
	return false
}

// toLength is ToLength of an array's length.
func toLength(v goja.Value) int64 {
	if v == nil {
		return 0
	}
	f := v.ToFloat()
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	return int64(math.Min(f, 1<<53-1))
}

// indexKeys are the property keys of the first array indices, made once.
var indexKeys = func() []string {
	k := make([]string, 1024)
	for i := range k {
		k[i] = strconv.Itoa(i)
	}
	return k
}()

func indexKey(i int64) string {
	if i < int64(len(indexKeys)) {
		return indexKeys[i]
	}
	return strconv.FormatInt(i, 10)
}
