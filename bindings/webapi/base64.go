package webapi

import (
	"encoding/base64"
	"strings"

	"github.com/dop251/goja"
)

// btoa encodes a string of Latin-1 characters (code units up to U+00FF) as base64.
func (r *Realm) btoa(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		r.ThrowTypeError("btoa: 1 argument required, but only 0 present")
	}
	s := call.Argument(0).String()
	b := make([]byte, 0, len(s))
	for _, c := range s {
		if c > 0xFF {
			r.ThrowDOMException("InvalidCharacterError", "The string to be encoded contains characters outside of the Latin1 range: encode text as UTF-8 first (btoa(String.fromCharCode(...new TextEncoder().encode(s))))")
		}
		b = append(b, byte(c))
	}
	return r.rt.ToValue(base64.StdEncoding.EncodeToString(b))
}

// atob decodes base64 as the HTML standard's forgiving-base64 decode does: ASCII
// whitespace is ignored, padding is optional, and the result is a string of
// Latin-1 characters, one per byte.
func (r *Realm) atob(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		r.ThrowTypeError("atob: 1 argument required, but only 0 present")
	}
	s := strings.Map(func(c rune) rune {
		switch c {
		case '\t', '\n', '\f', '\r', ' ':
			return -1
		}
		return c
	}, call.Argument(0).String())
	if len(s)%4 == 0 {
		s = strings.TrimSuffix(s, "=")
		s = strings.TrimSuffix(s, "=")
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(s)%4 == 1 {
		r.ThrowDOMException("InvalidCharacterError", "The string to be decoded is not correctly encoded.")
	}
	out := make([]rune, len(b))
	for i, c := range b {
		out[i] = rune(c)
	}
	return r.rt.ToValue(string(out))
}
