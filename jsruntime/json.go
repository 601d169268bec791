package jsruntime

import (
	"context"
	"fmt"

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
	s, err := vu.stringify(v)
	if err != nil {
		return nil, fmt.Errorf("export options: %w", err)
	}
	return []byte(s), nil
}

// CallJSON calls the exported function name with the JSON argument in (nil for none)
// and returns its settled result as JSON (nil for undefined). Used for setup and
// teardown, whose data crosses runtimes only as JSON.
func (vu *VU) CallJSON(ctx context.Context, name string, in []byte) ([]byte, error) {
	vu.main.bind(ctx)
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
