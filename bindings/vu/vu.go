// Package vu binds the flow and identity calls of the VU API: sleep, pause, check,
// fail, abortTest and the vu object. They are published as globals and as exports
// of the `jsload` module.
package vu

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Exports are the calls of this family.
var Exports = []bindings.Export{
	{Name: "sleep", New: func(h bindings.Host) any {
		return func(seconds float64) { sleep(h, seconds) }
	}},
	{Name: "pause", New: func(h bindings.Host) any {
		return func(call goja.FunctionCall) goja.Value {
			lo := call.Argument(0).ToFloat()
			hi := lo
			if len(call.Arguments) > 1 {
				hi = call.Argument(1).ToFloat()
			}
			if hi < lo {
				lo, hi = hi, lo
			}
			sleep(h, lo+rand.Float64()*(hi-lo))
			return goja.Undefined()
		}
	}},
	{Name: "check", New: func(h bindings.Host) any {
		return func(call goja.FunctionCall) goja.Value { return check(h, call) }
	}},
	{Name: "fail", New: func(h bindings.Host) any {
		return func(call goja.FunctionCall) goja.Value {
			msg := "fail() called"
			if len(call.Arguments) > 0 {
				msg = call.Argument(0).String()
			}
			panic(h.Goja().NewGoError(errors.New(msg)))
		}
	}},
	{Name: "abortTest", New: func(h bindings.Host) any {
		return func(call goja.FunctionCall) goja.Value {
			msg := "abortTest() called"
			if len(call.Arguments) > 0 {
				msg = call.Argument(0).String()
			}
			h.Abort(msg)
			return goja.Undefined()
		}
	}},
	{Name: "vu", New: func(h bindings.Host) any { return h.Goja().NewDynamicObject(&info{h: h}) }},
}

// sleep blocks for seconds (scaled by the think-time factor) or until the context
// is cancelled; then the runtime is interrupted so the script stops at once. A
// stop request to the background script sleeping only cuts the sleep short.
func sleep(h bindings.Host, seconds float64) {
	if math.IsNaN(seconds) || seconds <= 0 {
		return
	}
	d := h.ThinkTime(time.Duration(seconds * float64(time.Second)))
	if d <= 0 {
		return
	}
	ctx := h.WaitContext()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		if cause := context.Cause(ctx); !errors.Is(cause, bindings.ErrStopRequested) {
			h.Goja().Interrupt(cause)
		}
	}
}

// check evaluates each named predicate of call's second argument against its first,
// records each outcome and returns whether all passed. A third argument, an
// object of tags, is added to the tags of the samples (as in k6). A predicate
// that throws counts as failed, then its exception goes on.
func check(h bindings.Host, call goja.FunctionCall) goja.Value {
	rt := h.Goja()
	val := call.Argument(0)
	sets, ok := call.Argument(1).(*goja.Object)
	if !ok {
		bindings.Throw(rt, errors.New("check(value, checks) needs an object of named checks as its second argument, e.g. { 'status 200': (r) => r.status === 200 }"))
	}
	tags := h.Tags()
	if extra, isObj := call.Argument(2).(*goja.Object); isObj {
		tags = tags.Merge(bindings.TagsOf(extra))
	}
	all := true
	for _, name := range sets.Keys() {
		pred := sets.Get(name)
		passed := pred.ToBoolean()
		if fn, isFn := goja.AssertFunction(pred); isFn {
			res, err := fn(goja.Undefined(), val)
			if err != nil {
				h.Metrics().Check(tags, name, false)
				panic(err)
			}
			passed = res.ToBoolean()
		}
		h.Metrics().Check(tags, name, passed)
		all = all && passed
	}
	return rt.ToValue(all)
}

// info is the `vu` object: its fields are read live from the VU.
type info struct{ h bindings.Host }

var infoKeys = []string{"id", "idInGroup", "group", "iteration", "iterationInGroup"}

func (i *info) Get(key string) goja.Value {
	v := i.h.VU()
	rt := i.h.Goja()
	switch key {
	case "id":
		return rt.ToValue(v.ID)
	case "idInGroup":
		return rt.ToValue(v.IDInGroup)
	case "group":
		return rt.ToValue(v.Group)
	case "iteration":
		return rt.ToValue(v.Iteration())
	case "iterationInGroup":
		return rt.ToValue(v.IterationInGroup())
	}
	return nil
}

func (i *info) Set(string, goja.Value) bool { return false }
func (i *info) Has(key string) bool         { return i.Get(key) != nil }
func (i *info) Delete(string) bool          { return false }
func (i *info) Keys() []string              { return infoKeys }
