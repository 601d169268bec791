package webapi

import (
	"github.com/dop251/goja"
)

// Class is a JavaScript class made in Go: a constructor whose instances wrap Go
// values (their state) and a prototype holding the methods and accessors.
type Class struct {
	r     *Realm
	Ctor  *goja.Object
	Proto *goja.Object
}

// NewClass makes the class name. construct returns the Go state of a new instance,
// or panics with a JS error; nil construct makes a class scripts cannot construct
// ("Illegal constructor"), whose instances only Go makes with Wrap.
func (r *Realm) NewClass(name string, construct func(call goja.ConstructorCall) any) *Class {
	c := &Class{r: r}
	c.Ctor = r.rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
		if construct == nil {
			r.ThrowTypeError("Illegal constructor")
		}
		return c.wrap(construct(call), call.This.Prototype())
	}).(*goja.Object)
	_ = c.Ctor.DefineDataProperty("name", r.rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	c.Proto = c.Ctor.Get("prototype").(*goja.Object)
	_ = c.Proto.DefineDataPropertySymbol(goja.SymToStringTag, r.rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	return c
}

// Wrap returns a new instance of the class holding state.
func (c *Class) Wrap(state any) *goja.Object { return c.wrap(state, c.Proto) }

func (c *Class) wrap(state any, proto *goja.Object) *goja.Object {
	obj := c.r.rt.ToValue(state).(*goja.Object)
	_ = obj.SetPrototype(proto)
	return obj
}

// Method defines a method on the prototype.
func (c *Class) Method(name string, fn func(call goja.FunctionCall) goja.Value) {
	_ = c.Proto.DefineDataProperty(name, c.r.rt.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// Getter defines a read-only accessor on the prototype.
func (c *Class) Getter(name string, fn func(call goja.FunctionCall) goja.Value) {
	_ = c.Proto.DefineAccessorProperty(name, c.r.rt.ToValue(fn), nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// This returns the Go state of the instance a method was called on, throwing
// "Illegal invocation" (a TypeError, as browsers do) when it is not one of T.
func This[T any](r *Realm, call goja.FunctionCall) T {
	if obj, ok := call.This.(*goja.Object); ok {
		if s, ok := obj.Export().(T); ok {
			return s
		}
	}
	r.ThrowTypeError("Illegal invocation")
	panic("unreachable")
}

// Options reads the dictionary argument v: an object, or undefined/null for none
// (a TypeError otherwise, as WebIDL converts dictionaries).
func (r *Realm) Options(v goja.Value, what string) *goja.Object {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		r.ThrowTypeError("%s must be an object", what)
	}
	return obj
}

// Member returns obj[name], or nil when obj is nil or the member is undefined.
func Member(obj *goja.Object, name string) goja.Value {
	if obj == nil {
		return nil
	}
	v := obj.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return v
}
