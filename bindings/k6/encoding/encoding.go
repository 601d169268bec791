// Package encoding is k6/encoding: b64encode and b64decode with k6's four
// alphabets (std, rawstd, url, rawurl), on Go's encoding/base64.
package encoding

import (
	"encoding/base64"
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	k6 "github.com/jsload/jsload/bindings/k6"
)

// Module builds the exports of k6/encoding for h's runtime.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	o := rt.NewObject()
	_ = o.Set("b64encode", func(call goja.FunctionCall) goja.Value {
		enc, err := encodingOf(call.Argument(1))
		var data []byte
		if err == nil {
			data, err = k6.ToBytes(rt, call.Argument(0), "b64encode's input")
		}
		if err != nil {
			bindings.Throw(rt, fmt.Errorf("b64encode: %w", err))
		}
		return rt.ToValue(enc.EncodeToString(data))
	})
	_ = o.Set("b64decode", func(call goja.FunctionCall) goja.Value {
		enc, err := encodingOf(call.Argument(1))
		var out []byte
		if err == nil {
			out, err = enc.DecodeString(call.Argument(0).String())
		}
		if err != nil {
			bindings.Throw(rt, fmt.Errorf("b64decode: %w", err))
		}
		if f := call.Argument(2); !goja.IsUndefined(f) && f.String() == "s" {
			return rt.ToValue(string(out))
		}
		return rt.ToValue(rt.NewArrayBuffer(out))
	})
	return o
}

// encodingOf reads the encoding argument: std (the default), rawstd, url or
// rawurl.
func encodingOf(v goja.Value) (*base64.Encoding, error) {
	if bindings.IsNullish(v) {
		return base64.StdEncoding, nil
	}
	switch s := v.String(); s {
	case "", "std":
		return base64.StdEncoding, nil
	case "rawstd":
		return base64.RawStdEncoding, nil
	case "url":
		return base64.URLEncoding, nil
	case "rawurl":
		return base64.RawURLEncoding, nil
	default:
		return nil, fmt.Errorf("unknown encoding %q: want 'std', 'rawstd', 'url' or 'rawurl'", s)
	}
}
