package k6

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings/webapi"
)

// ToBytes returns the bytes of a k6 binding's data argument: a string (its
// UTF-8), an ArrayBuffer, a typed array or a DataView (shared with the buffer:
// use them before script code runs again). what names the argument in the error.
func ToBytes(rt *goja.Runtime, v goja.Value, what string) ([]byte, error) {
	if b, ok := webapi.RealmOf(rt).BufferSource(v); ok {
		return b, nil
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, fmt.Errorf("%s is missing: give a string or an ArrayBuffer", what)
	}
	if obj, isObj := v.(*goja.Object); isObj && obj.ClassName() != "String" {
		return nil, fmt.Errorf("%s must be a string or an ArrayBuffer, got %s", what, v)
	}
	return []byte(v.String()), nil
}
