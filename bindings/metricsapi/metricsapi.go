// Package metricsapi binds custom metrics (the `jsload/metrics` module: Trend,
// Counter, Rate, Gauge) and transactions (startTransaction / endTransaction, part of
// the VU API). Samples go to the VU's sink, tagged with the runtime's tags.
package metricsapi

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// Module builds the exports of `jsload/metrics` for h's runtime.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	exp := rt.NewObject()
	for _, kind := range []struct {
		name string
		typ  metrics.Type
	}{{"Trend", metrics.Trend}, {"Counter", metrics.Counter}, {"Rate", metrics.Rate}, {"Gauge", metrics.Gauge}} {
		_ = exp.Set(kind.name, constructor(h, kind.name, kind.typ))
	}
	return exp
}

// constructor builds `new Trend(name[, isTime])` and its siblings: an object with
// name and add(value[, tags]).
func constructor(h bindings.Host, kind string, typ metrics.Type) func(goja.ConstructorCall) *goja.Object {
	rt := h.Goja()
	return func(call goja.ConstructorCall) *goja.Object {
		name := call.Argument(0).String()
		contains := metrics.Default
		if typ == metrics.Trend && call.Argument(1).ToBoolean() {
			contains = metrics.Time
		}
		m, err := h.Registry().Register(name, typ, contains)
		if err != nil {
			bindings.Throw(rt, fmt.Errorf("new %s(%q): %w", kind, name, err))
		}
		obj := call.This
		_ = obj.Set("name", name)
		_ = obj.Set("add", func(c goja.FunctionCall) goja.Value {
			tags := h.Tags()
			if extra, ok := c.Argument(1).(*goja.Object); ok {
				kv, err := tagPairs(extra)
				if err != nil {
					bindings.Throw(rt, fmt.Errorf("%s %q: add(): %w", kind, name, err))
				}
				tags = tags.Merge(metrics.NewTags(kv...))
			}
			val, ok := sampleValue(c.Argument(0), typ)
			if !ok {
				h.Warn(fmt.Errorf("%s %q: add() got %s, not a number or a boolean: the sample is dropped", kind, name, describe(c.Argument(0))))
				return goja.Undefined()
			}
			h.Metrics().Add(m, tags, val)
			return goja.Undefined()
		})
		return nil
	}
}

// sampleValue is the number add(v) records, as k6 reads it: a number, a numeric
// string, or a boolean as 1 or 0; a Rate records whether it is not 0. NaN (a
// non-numeric string, undefined, an object), null and, except for a Rate,
// ±Infinity are no sample (false): the metrics hold finite numbers.
func sampleValue(v goja.Value, typ metrics.Type) (float64, bool) {
	if goja.IsNull(v) {
		return 0, false
	}
	f := v.ToFloat()
	if f == 0 && v.ToBoolean() { // true
		f = 1
	}
	if math.IsNaN(f) {
		return 0, false
	}
	if typ == metrics.Rate {
		if f != 0 {
			return 1, true
		}
		return 0, true
	}
	return f, !math.IsInf(f, 0)
}

// describe names a value a metric cannot record, for the warning.
func describe(v goja.Value) string {
	switch {
	case goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	case goja.IsString(v):
		s := v.String()
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return fmt.Sprintf("the string %q", s)
	case goja.IsNumber(v):
		return v.String()
	}
	return "an object"
}

// tagPairs reads the tags argument of add(): each value a string, a number or a
// boolean, as k6 accepts.
func tagPairs(tags *goja.Object) ([]string, error) {
	keys := tags.Keys()
	kv := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		v := tags.Get(k)
		if _, isObj := v.(*goja.Object); isObj || goja.IsUndefined(v) || goja.IsNull(v) {
			return nil, fmt.Errorf("tag %q is %s: a tag value is a string, a number or a boolean", k, describe(v))
		}
		kv = append(kv, k, v.String())
	}
	return kv, nil
}

type txKey struct{}

// txTable holds the open transactions of one VU by name; a transaction may be
// started in one of the VU's scripts and ended in another.
type txTable struct {
	mu   sync.Mutex
	open map[string]time.Time
}

func table(h bindings.Host) *txTable {
	return h.VULocal(txKey{}, func() any { return &txTable{open: map[string]time.Time{}} }).(*txTable)
}

// Exports are the transaction calls of the VU API.
var Exports = []bindings.Export{
	{Name: "startTransaction", New: func(h bindings.Host) any {
		return func(name string) {
			t := table(h)
			t.mu.Lock()
			t.open[name] = time.Now()
			t.mu.Unlock()
		}
	}},
	{Name: "endTransaction", New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(call goja.FunctionCall) goja.Value {
			name := call.Argument(0).String()
			t := table(h)
			t.mu.Lock()
			began, ok := t.open[name]
			delete(t.open, name)
			t.mu.Unlock()
			if !ok {
				bindings.Throw(rt, fmt.Errorf("endTransaction(%q): no transaction %q is open: call startTransaction(%q) first", name, name, name))
			}
			passed := true
			if len(call.Arguments) > 1 && !goja.IsUndefined(call.Arguments[1]) {
				passed = call.Arguments[1].ToBoolean()
			}
			d := time.Since(began)
			h.Metrics().Transaction(h.Tags(), name, d, passed)
			return rt.ToValue(float64(d) / float64(time.Millisecond))
		}
	}},
}
