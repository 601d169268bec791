package bindings

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/metrics"
)

// ParseTimeout reads an optional timeout argument: undefined or null for none, a
// number of milliseconds, or a duration string ("5s", "250ms", "1m30s").
func ParseTimeout(v goja.Value) (time.Duration, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
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

// FromJS exports a JavaScript value as a JSON-like Go value; functions and other
// values that cannot cross runtimes become an error naming what.
func FromJS(v goja.Value) (any, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	if _, isFn := goja.AssertFunction(v); isFn {
		return nil, fmt.Errorf("a function cannot be stored: store data (strings, numbers, booleans, arrays, objects)")
	}
	return exportJSON(v.Export())
}

func exportJSON(v any) (any, error) {
	switch v := v.(type) {
	case nil, string, bool, int64, float64:
		return v, nil
	case int:
		return int64(v), nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			x, err := exportJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			x, err := exportJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	case func(goja.FunctionCall) goja.Value:
		return nil, fmt.Errorf("a function cannot be stored: store data (strings, numbers, booleans, arrays, objects)")
	}
	return nil, fmt.Errorf("a value of type %T cannot be stored: store data (strings, numbers, booleans, arrays, objects)", v)
}
