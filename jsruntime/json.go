package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/dop251/goja"
)

// OptionsJSON returns the script's exported `options` as JSON, or nil when it
// exports none.
func (vu *VU) OptionsJSON() ([]byte, error) {
	v, err := vu.main.getExport(vu.exports, "options")
	if err != nil {
		return nil, fmt.Errorf("export options: %w", err)
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	if _, isFn := goja.AssertFunction(v); isFn {
		return nil, errors.New("options is exported as a function: jsload reads options, it does not call them; export an object, e.g. export const options = { vus: 10, duration: '30s' }")
	}
	if err := checkOptionValues("options", v, 0); err != nil {
		return nil, err
	}
	s, err := vu.stringify(v)
	if err != nil {
		return nil, fmt.Errorf("export options: %w", err)
	}
	return []byte(s), nil
}

// maxOptionsDepth bounds the walk of checkOptionValues: options are never that
// deep, and a cycle ends there.
const maxOptionsDepth = 64

// checkOptionValues rejects what JSON would turn silently into something else in
// the options at path: NaN and ±Infinity (null in JSON, so `vus: NaN` would read
// as "vus is 0") and functions (dropped).
func checkOptionValues(path string, v goja.Value, depth int) error {
	if depth > maxOptionsDepth {
		return fmt.Errorf("%s is nested more than %d levels deep: options are plain data (is there a cycle?)", path, maxOptionsDepth)
	}
	if goja.IsNumber(v) {
		if f := v.ToFloat(); math.IsNaN(f) || math.IsInf(f, 0) {
			hint := "give a finite number"
			if math.IsNaN(f) {
				hint += " (NaN comes from a sum or a parseInt of something that is no number, such as an __ENV variable that is not set)"
			}
			return fmt.Errorf("%s is %s: %s", path, v, hint)
		}
		return nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	if _, isFn := goja.AssertFunction(obj); isFn {
		return fmt.Errorf("%s is a function: options hold data (numbers, strings, booleans, arrays, objects)", path)
	}
	if obj.ClassName() == "Array" {
		for i := int64(0); i < obj.Get("length").ToInteger(); i++ {
			if err := checkOptionValues(fmt.Sprintf("%s[%d]", path, i), obj.Get(strconv.FormatInt(i, 10)), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, k := range obj.Keys() {
		if err := checkOptionValues(path+"."+k, obj.Get(k), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// CallJSON calls the exported function name with the JSON argument in (nil for none)
// and returns its settled result as JSON (nil for undefined). Used for setup and
// teardown, whose data crosses runtimes only as JSON.
func (vu *VU) CallJSON(ctx context.Context, name string, in []byte) ([]byte, error) {
	vu.main.bind(ctx)
	// Unbound once it returns: ctx may be cancelled later (a timeout released),
	// and that must not interrupt whatever the runtime does next.
	defer vu.main.unbind()
	fn := vu.Func(name)
	if fn == nil {
		return nil, nil
	}
	var args []goja.Value
	if in != nil {
		arg, err := vu.main.parseJSON(in)
		if err != nil {
			return nil, fmt.Errorf("%s data: %w", name, err)
		}
		args = append(args, arg)
	}
	v, err := vu.main.call(ctx, fn, args...)
	if err != nil {
		return nil, err
	}
	if p, ok := v.Export().(*goja.Promise); ok {
		v = p.Result()
	}
	if v == nil || goja.IsUndefined(v) {
		return nil, nil
	}
	s, err := vu.stringify(v)
	if err != nil {
		return nil, fmt.Errorf("%s() must return JSON-like data: %w", name, err)
	}
	return []byte(s), nil
}

// parseJSON turns JSON text into a value of r: setup() data crosses runtimes as
// JSON. JSON.parse, unlike evaluating the text, compiles nothing.
func (r *scriptRuntime) parseJSON(data []byte) (goja.Value, error) {
	parse, _ := goja.AssertFunction(r.rt.Get("JSON").ToObject(r.rt).Get("parse"))
	v, err := parse(goja.Undefined(), r.rt.ToValue(string(data)))
	if err != nil {
		return nil, r.scriptError(err)
	}
	return v, nil
}

func (vu *VU) stringify(v goja.Value) (string, error) {
	rt := vu.main.rt
	stringify, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	out, err := stringify(goja.Undefined(), v)
	if err != nil {
		return "", vu.main.scriptError(err)
	}
	if goja.IsUndefined(out) {
		return "null", nil
	}
	return out.String(), nil
}
