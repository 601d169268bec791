// Package webapi provides the web platform's standard globals in every jsload
// runtime: URL and URLSearchParams, Buffer, TextEncoder and TextDecoder, atob and
// btoa, queueMicrotask, structuredClone and DOMException.
//
// URL, URLSearchParams and Buffer come from goja_nodejs (its url and buffer
// modules, without its require, process or event loop); the rest is written here in
// Go because goja_nodejs has no browser encoding, clone or microtask API.
//
// Every global is built on first read: a runtime whose scripts never name one pays
// nothing for it. What several globals share in one runtime (DOMException, the
// typed-array intrinsics) lives in that runtime's Realm, made on first use too. A
// Realm, like the goja runtime it belongs to, is used by one goroutine only.
package webapi

import (
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Exports are the globals this package defines, for the runtime's globals table.
var Exports = []bindings.Export{
	export("TextEncoder", func(r *Realm) any { return r.textEncoderClass() }),
	export("TextDecoder", func(r *Realm) any { return r.textDecoderClass() }),
	export("atob", func(r *Realm) any { return r.atob }),
	export("btoa", func(r *Realm) any { return r.btoa }),
	export("queueMicrotask", func(r *Realm) any { return r.queueMicrotask }),
	export("structuredClone", func(r *Realm) any { return r.structuredClone }),
	export("DOMException", func(r *Realm) any { return r.domException().ctor }),
	export("URL", func(r *Realm) any { return r.urlModule().Get("URL") }),
	export("URLSearchParams", func(r *Realm) any { return r.urlModule().Get("URLSearchParams") }),
	export("Buffer", func(r *Realm) any { return r.bufferClass() }),
}

// buildHook, when set (by tests), is told of every global built and by which VU.
var buildHook atomic.Pointer[func(h bindings.Host, name string)]

// export declares one global whose value build makes from the runtime's Realm.
func export(name string, build func(r *Realm) any) bindings.Export {
	return Lazy(name, func(h bindings.Host) any { return build(RealmOf(h.Goja())) })
}

// Lazy wraps new as the builder of the global name, reporting each build to the
// test hook; packages beside this one declare their globals through it too.
func Lazy(name string, build func(h bindings.Host) any) bindings.Export {
	return bindings.Export{Name: name, New: func(h bindings.Host) any {
		if hook := buildHook.Load(); hook != nil {
			(*hook)(h, name)
		}
		return build(h)
	}}
}

// Realm is the per-runtime state the web globals share. It belongs to one goja
// runtime and is used only on that runtime's goroutine.
type Realm struct {
	rt     *goja.Runtime
	intr   *intrinsics
	dom    *domException
	url    *goja.Object
	locals map[any]any

	settled       goja.Value    // a fulfilled promise, whose reactions are microtasks
	microtaskThen goja.Callable // Promise.prototype.then as it was on first use
}

// realmKey holds each runtime's Realm, as a non-enumerable, read-only property of its
// global object: goja has no per-runtime slot for host data.
var realmKey = goja.NewSymbol("jsload.webapi.realm")

// realmHolder hides the Realm from scripts: the property's value is an object with
// no properties, which only Go can see through.
type realmHolder struct{ r *Realm }

func (realmHolder) Get(string) goja.Value       { return nil }
func (realmHolder) Set(string, goja.Value) bool { return false }
func (realmHolder) Has(string) bool             { return false }
func (realmHolder) Delete(string) bool          { return false }
func (realmHolder) Keys() []string              { return nil }

// RealmOf returns rt's Realm, making it on first use. Runtime goroutine only.
func RealmOf(rt *goja.Runtime) *Realm {
	g := rt.GlobalObject()
	if v := g.GetSymbol(realmKey); v != nil {
		if h, ok := v.Export().(realmHolder); ok {
			return h.r
		}
	}
	r := &Realm{rt: rt}
	_ = g.DefineDataPropertySymbol(realmKey, rt.NewDynamicObject(realmHolder{r}), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return r
}

// Runtime returns the goja runtime the Realm belongs to.
func (r *Realm) Runtime() *goja.Runtime { return r.rt }

// Local returns the value stored in the Realm under key, making it with create on
// first use: per-runtime state of the packages built on this one (webcrypto).
func (r *Realm) Local(key any, create func() any) any {
	if v, ok := r.locals[key]; ok {
		return v
	}
	if r.locals == nil {
		r.locals = map[any]any{}
	}
	v := create()
	r.locals[key] = v
	return v
}
