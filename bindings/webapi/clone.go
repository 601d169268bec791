package webapi

import (
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"github.com/dop251/goja"
)

// cloneHelpersSrc returns the built-ins structuredClone needs that goja does not
// expose to Go: Map and Set contents, and the brand checks of the types that cannot
// be cloned (their instances look like plain objects from Go).
const cloneHelpersSrc = `(function () {
	const entries = Map.prototype.entries, values = Set.prototype.values;
	const list = (it) => { const a = []; for (let r = it.next(); !r.done; r = it.next()) a.push(r.value); return a; };
	const brand = (f) => (v) => { try { f.call(v); return true; } catch (e) { return false; } };
	const checks = [['WeakMap', brand(WeakMap.prototype.has)], ['WeakSet', brand(WeakSet.prototype.has)]];
	return [(m) => list(entries.call(m)), (s) => list(values.call(s)), (v) => {
		for (const [name, is] of checks) if (is(v)) return name;
		return '';
	}, Object.prototype, Map, Set, (d) => new Date(Date.prototype.getTime.call(d)),
	(v) => {
		for (const C of [Boolean, Number, String, BigInt]) {
			try { return Object(C.prototype.valueOf.call(v)); } catch (e) { /* not this wrapper */ }
		}
	}, RegExp];
})()`

var cloneHelpersProg = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("webapi:clone", cloneHelpersSrc, true)
})

// cloneHelpersKey is the Realm.Local key of a runtime's cloneHelpers.
type cloneHelpersKey struct{}

type cloneHelpers struct {
	mapEntries, setValues, uncloneable goja.Callable
	cloneDate, rewrap                  goja.Callable
	objectProto, mapCtor, setCtor      *goja.Object
	reCtor                             *goja.Object
}

func (r *Realm) cloneHelpers() *cloneHelpers {
	if h, ok := r.Local(cloneHelpersKey{}, func() any { return r.newCloneHelpers() }).(*cloneHelpers); ok {
		return h
	}
	panic("unreachable")
}

func (r *Realm) newCloneHelpers() *cloneHelpers {
	v, err := r.rt.RunProgram(cloneHelpersProg())
	if err != nil {
		panic(err)
	}
	a := v.(*goja.Object)
	fn := func(i int) goja.Callable { f, _ := goja.AssertFunction(a.Get(strconv.Itoa(i))); return f }
	obj := func(i int) *goja.Object { return a.Get(strconv.Itoa(i)).(*goja.Object) }
	return &cloneHelpers{mapEntries: fn(0), setValues: fn(1), uncloneable: fn(2), objectProto: obj(3),
		mapCtor: obj(4), setCtor: obj(5), cloneDate: fn(6), rewrap: fn(7), reCtor: obj(8)}
}

// cloner is one run of the structured clone algorithm: memo keeps the copy of every
// object seen, so shared references and cycles come out the same.
type cloner struct {
	r    *Realm
	h    *cloneHelpers
	memo map[*goja.Object]goja.Value
}

var errorNames = map[string]bool{"Error": true, "EvalError": true, "RangeError": true,
	"ReferenceError": true, "SyntaxError": true, "TypeError": true, "URIError": true}

var (
	typeMapExport = reflect.TypeOf([][2]any(nil))
	typeSetExport = reflect.TypeOf([]any(nil))
	typePromise   = reflect.TypeOf((*goja.Promise)(nil))
	typeProxy     = reflect.TypeOf(goja.Proxy{})
)

// structuredClone copies a value as the HTML standard's structured clone does:
// primitives, plain objects and arrays, Date, RegExp, Map, Set, ArrayBuffer, typed
// arrays, DataView, Error and the primitive wrappers, keeping shared references and
// cycles; with {transfer: [buffers]} the buffers move to the copy and the originals
// are detached. Functions, symbols, promises, proxies, weak collections and objects
// made by Go bindings throw a DataCloneError naming the path to the value.
func (r *Realm) structuredClone(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		r.ThrowTypeError("structuredClone: 1 argument required, but only 0 present")
	}
	c := &cloner{r: r, h: r.cloneHelpers(), memo: map[*goja.Object]goja.Value{}}
	transferred := c.transfer(r.Options(call.Argument(1), "structuredClone options"))
	out := c.clone(call.Argument(0), "value")
	for _, ab := range transferred {
		ab.Detach()
	}
	return out
}

// transfer moves the memory of each ArrayBuffer listed in opts.transfer to a new
// buffer, recorded in the memo, and returns the originals to detach once the clone
// succeeded.
func (c *cloner) transfer(opts *goja.Object) []goja.ArrayBuffer {
	list := Member(opts, "transfer")
	if list == nil {
		return nil
	}
	var out []goja.ArrayBuffer
	c.r.rt.ForOf(list, func(v goja.Value) bool {
		obj, ok := v.(*goja.Object)
		if !ok || v.ExportType() != typeArrayBuffer {
			c.fail("transfer list", "only ArrayBuffers can be transferred, got "+describe(v))
		}
		ab := v.Export().(goja.ArrayBuffer)
		if _, dup := c.memo[obj]; dup {
			c.fail("transfer list", "an ArrayBuffer is listed twice")
		}
		if ab.Detached() {
			c.fail("transfer list", "an ArrayBuffer is detached")
		}
		c.memo[obj] = c.r.NewArrayBuffer(ab.Bytes())
		out = append(out, ab)
		return true
	})
	return out
}

func (c *cloner) fail(path, what string) {
	c.r.ThrowDOMException("DataCloneError", "structuredClone: %s could not be cloned (at %s): clone data only (objects, arrays, strings, numbers, Dates, Maps, Sets, typed arrays)", what, path)
}

func describe(v goja.Value) string {
	if _, ok := goja.AssertFunction(v); ok {
		name := v.(*goja.Object).Get("name").String()
		if name == "" {
			return "a function"
		}
		return "the function " + name
	}
	if s, ok := v.(*goja.Symbol); ok {
		return "Symbol(" + s.String() + ")"
	}
	if o, ok := v.(*goja.Object); ok {
		return "#<" + o.ClassName() + ">"
	}
	return v.String()
}

func (c *cloner) clone(v goja.Value, path string) goja.Value {
	if _, ok := v.(*goja.Symbol); ok {
		c.fail(path, describe(v))
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return v // undefined, null, booleans, numbers, bigints and strings
	}
	if done, ok := c.memo[obj]; ok {
		return done
	}
	if _, ok := goja.AssertFunction(v); ok {
		c.fail(path, describe(v))
	}
	rt := c.r.rt
	switch obj.ClassName() {
	case "Array":
		out := rt.NewArray()
		c.memo[obj] = out
		_ = out.Set("length", obj.Get("length"))
		c.copyProps(obj, out, path)
		return out
	case "Date":
		return c.memoCall(obj, c.h.cloneDate)
	case "RegExp":
		out, err := rt.New(c.h.reCtor, obj.Get("source"), obj.Get("flags"))
		if err != nil {
			panic(err)
		}
		c.memo[obj] = out
		return out
	case "Boolean", "Number", "String", "BigInt":
		return c.memoCall(obj, c.h.rewrap) // a primitive wrapper: wrap the primitive again
	case "Error":
		return c.cloneError(obj)
	}
	return c.cloneObject(obj, path)
}

func (c *cloner) memoCall(obj *goja.Object, fn goja.Callable) goja.Value {
	out, err := fn(goja.Undefined(), obj)
	if err != nil {
		panic(err)
	}
	c.memo[obj] = out
	return out
}

func (c *cloner) cloneError(obj *goja.Object) goja.Value {
	rt := c.r.rt
	name := "Error"
	if n := obj.Get("name"); n != nil && errorNames[n.String()] {
		name = n.String()
	}
	var args []goja.Value
	if desc := obj.Get("message"); desc != nil && !goja.IsUndefined(desc) {
		args = append(args, rt.ToValue(desc.String()))
	}
	out, err := rt.New(rt.Get(name), args...)
	if err != nil {
		panic(err)
	}
	if st := obj.Get("stack"); st != nil && !goja.IsUndefined(st) {
		_ = out.DefineDataProperty("stack", rt.ToValue(st.String()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	c.memo[obj] = out
	return out
}

func (c *cloner) cloneObject(obj *goja.Object, path string) goja.Value {
	rt := c.r.rt
	switch t := obj.ExportType(); {
	case t == typeArrayBuffer:
		src := obj.Export().(goja.ArrayBuffer)
		if src.Detached() {
			c.fail(path, "a detached ArrayBuffer")
		}
		out := c.r.NewArrayBuffer(append([]byte(nil), src.Bytes()...))
		c.memo[obj] = out
		return out
	case t == typePromise, t == typeProxy:
		c.fail(path, describe(obj))
	case t == typeMapExport:
		return c.cloneMap(obj, path)
	case t == typeSetExport && obj.ClassName() == "Object":
		return c.cloneSet(obj, path)
	}
	if view, ok := c.r.ArrayBufferView(obj); ok {
		return c.cloneView(obj, view, path)
	}
	if t := obj.ExportType(); t != nil && t.Kind() != reflect.Map {
		c.fail(path, describe(obj)) // an object made by a Go binding (URL, CryptoKey, ...)
	}
	if p := obj.Prototype(); p != nil && p != c.h.objectProto {
		if name, _ := c.h.uncloneable(goja.Undefined(), obj); name.String() != "" {
			c.fail(path, "#<"+name.String()+">")
		}
	}
	out := rt.NewObject()
	c.memo[obj] = out
	c.copyProps(obj, out, path)
	return out
}

func (c *cloner) copyProps(from, to *goja.Object, path string) {
	for _, k := range from.Keys() {
		_ = to.Set(k, c.clone(from.Get(k), path+"."+k))
	}
}

func (c *cloner) cloneMap(obj *goja.Object, path string) goja.Value {
	rt := c.r.rt
	out, _ := rt.New(c.h.mapCtor)
	c.memo[obj] = out
	set, _ := goja.AssertFunction(out.Get("set"))
	entries, err := c.h.mapEntries(goja.Undefined(), obj)
	if err != nil {
		panic(err)
	}
	list := entries.(*goja.Object)
	n := int(list.Get("length").ToInteger())
	for i := range n {
		e := list.Get(strconv.Itoa(i)).(*goja.Object)
		p := fmt.Sprintf("%s.get(%s)", path, e.Get("0"))
		if _, err := set(out, c.clone(e.Get("0"), path+".keys()"), c.clone(e.Get("1"), p)); err != nil {
			panic(err)
		}
	}
	return out
}

func (c *cloner) cloneSet(obj *goja.Object, path string) goja.Value {
	rt := c.r.rt
	out, _ := rt.New(c.h.setCtor)
	c.memo[obj] = out
	add, _ := goja.AssertFunction(out.Get("add"))
	values, err := c.h.setValues(goja.Undefined(), obj)
	if err != nil {
		panic(err)
	}
	list := values.(*goja.Object)
	n := int(list.Get("length").ToInteger())
	for i := range n {
		if _, err := add(out, c.clone(list.Get(strconv.Itoa(i)), path+".values()")); err != nil {
			panic(err)
		}
	}
	return out
}

func (c *cloner) cloneView(obj *goja.Object, view View, path string) goja.Value {
	rt := c.r.rt
	buf := c.clone(rt.ToValue(view.Buffer), path+".buffer")
	name := view.TypedArray
	args := []goja.Value{buf, rt.ToValue(view.Offset)}
	if name == "" {
		name = "DataView"
		args = append(args, rt.ToValue(view.Length))
	} else {
		args = append(args, obj.Get("length"))
	}
	out, err := rt.New(rt.Get(name), args...)
	if err != nil {
		panic(err)
	}
	c.memo[obj] = out
	return out
}
