package bindings

import (
	"fmt"
	"net/http"

	"github.com/dop251/goja"
)

// EachHeader calls fn for each header of params.headers, an object of header
// names and values: the name canonical (user-agent is User-Agent), the value
// an array's elements (the header is sent once per element) or the value as
// a string. Headers whose value is undefined or null are skipped. It stops at
// fn's first error.
func EachHeader(v goja.Value, fn func(name string, values []string) error) error {
	obj, ok := v.(*goja.Object)
	if !ok {
		return fmt.Errorf("want an object of header names and values, got %s", v)
	}
	for _, k := range obj.Keys() {
		val := obj.Get(k)
		if IsNullish(val) {
			continue
		}
		var values []string
		if arr, ok := val.(*goja.Object); ok && arr.ClassName() == "Array" {
			for _, e := range arr.Keys() {
				values = append(values, arr.Get(e).String())
			}
		} else {
			values = []string{val.String()}
		}
		if err := fn(http.CanonicalHeaderKey(k), values); err != nil {
			return err
		}
	}
	return nil
}
