// Package dictapi binds the VU data dictionary (SPEC §2.1): typed reads with
// defaults, typed writes, and blocking waits. Each runtime reads and writes the
// dict.Store its Host gives it (the VU's, or a background script's copy/overlay).
package dictapi

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
)

// convert reads a stored value as one JavaScript type.
type convert func(rt *goja.Runtime, key string, v any) (goja.Value, error)

var (
	asString = func(rt *goja.Runtime, key string, v any) (goja.Value, error) {
		s, err := dict.ConvertString(key, v)
		return rt.ToValue(s), err
	}
	asInteger = func(rt *goja.Runtime, key string, v any) (goja.Value, error) {
		n, err := dict.ConvertInt(key, v)
		return rt.ToValue(n), err
	}
	asNumber = func(rt *goja.Runtime, key string, v any) (goja.Value, error) {
		f, err := dict.ConvertFloat(key, v)
		return rt.ToValue(f), err
	}
	asBoolean = func(rt *goja.Runtime, key string, v any) (goja.Value, error) {
		b, err := dict.ConvertBool(key, v)
		return rt.ToValue(b), err
	}
	asAny = func(rt *goja.Runtime, _ string, v any) (goja.Value, error) { return bindings.ToJS(rt, v), nil }
)

// Exports are the dictionary calls.
var Exports = []bindings.Export{
	getter("getString", asString), getter("getInteger", asInteger), getter("getNumber", asNumber),
	getter("getBoolean", asBoolean), getter("get", asAny),
	setter("setString", func(_ string, v goja.Value) (any, error) { return v.String(), nil }),
	setter("setInteger", func(_ string, v goja.Value) (any, error) { return dict.ConvertInt("", exportOrNil(v)) }),
	setter("setNumber", func(_ string, v goja.Value) (any, error) { return dict.ConvertFloat("", exportOrNil(v)) }),
	setter("setBoolean", func(_ string, v goja.Value) (any, error) { return v.ToBoolean(), nil }),
	setter("set", bindings.FromJSFor),
	{Name: "hasKey", New: func(h bindings.Host) any {
		return func(key string) bool { return h.Dict().Has(key) }
	}},
	{Name: "removeKey", New: func(h bindings.Host) any {
		return func(key string) bool { return h.Dict().Remove(key) }
	}},
	{Name: "keys", New: func(h bindings.Host) any {
		return func() []string { return h.Dict().Keys() }
	}},
	waiter("waitForString", asString, false), waiter("waitForInteger", asInteger, false),
	waiter("waitForNumber", asNumber, false), waiter("waitForBoolean", asBoolean, false),
	waiter("waitFor", asAny, false), waiter("waitForChange", asAny, true),
}

func exportOrNil(v goja.Value) any {
	if v == nil {
		return nil
	}
	return v.Export()
}

// getter builds get*(key[, default]): the value converted, the default when the key
// is missing, or an error naming the key.
func getter(name string, conv convert) bindings.Export {
	return bindings.Export{Name: name, New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(call goja.FunctionCall) goja.Value {
			key := call.Argument(0).String()
			v, ok := h.Dict().Get(key)
			if !ok {
				if len(call.Arguments) > 1 {
					return call.Arguments[1]
				}
				bindings.Throw(rt, &dict.MissingKeyError{Key: key})
			}
			out, err := conv(rt, key, v)
			if err != nil {
				bindings.Throw(rt, err)
			}
			return out
		}
	}}
}

// setter builds set*(key, value); conv converts the value stored under key.
func setter(name string, conv func(key string, v goja.Value) (any, error)) bindings.Export {
	return bindings.Export{Name: name, New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(call goja.FunctionCall) goja.Value {
			key := call.Argument(0).String()
			v, err := conv(key, call.Argument(1))
			if err != nil {
				var ce *dict.ConversionError
				if errors.As(err, &ce) {
					ce.Key = key
				}
				bindings.Throw(rt, err)
			}
			h.Dict().Set(key, v)
			return goja.Undefined()
		}
	}}
}

// waiter builds waitFor*(key[, timeout]): it blocks until the key exists (or, for
// waitForChange, is set again), the timeout elapses (TimeoutError) or the runtime
// is stopped (the script is interrupted).
func waiter(name string, conv convert, change bool) bindings.Export {
	return bindings.Export{Name: name, New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(call goja.FunctionCall) goja.Value {
			key := call.Argument(0).String()
			timeout, err := bindings.ParseTimeout(call.Argument(1))
			if err != nil {
				bindings.Throw(rt, err)
			}
			ctx := h.WaitContext()
			wait := h.Dict().Wait
			if change {
				wait = h.Dict().WaitChange
			}
			v, err := wait(ctx, key, timeout)
			if err != nil {
				return bindings.WaitFailed(h, ctx, err)
			}
			out, err := conv(rt, key, v)
			if err != nil {
				bindings.Throw(rt, err)
			}
			return out
		}
	}}
}
