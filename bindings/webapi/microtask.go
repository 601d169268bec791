package webapi

import (
	"github.com/dop251/goja"
)

// queueMicrotask runs fn on the runtime's own job queue, the one promise reactions
// use: after the current script code, before any timer or I/O callback. It is the
// reaction of a settled promise, so an exception the callback throws is an
// unhandled rejection, which fails the iteration as any other.
func (r *Realm) queueMicrotask(call goja.FunctionCall) goja.Value {
	fn, ok := goja.AssertFunction(call.Argument(0))
	if !ok {
		r.ThrowTypeError("queueMicrotask: the argument must be a function, got %s", call.Argument(0))
	}
	if r.microtaskThen == nil {
		p, resolve, _ := r.rt.NewPromise()
		_ = resolve(goja.Undefined())
		r.settled = r.rt.ToValue(p)
		proto := r.rt.Get("Promise").(*goja.Object).Get("prototype").(*goja.Object)
		r.microtaskThen, _ = goja.AssertFunction(proto.Get("then"))
	}
	job := r.rt.ToValue(func(goja.FunctionCall) goja.Value {
		if _, err := fn(goja.Undefined()); err != nil {
			panic(err)
		}
		return goja.Undefined()
	})
	if _, err := r.microtaskThen(r.settled, job); err != nil {
		panic(err)
	}
	return goja.Undefined()
}
