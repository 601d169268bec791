package csv

import (
	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// parse implements csv.parse(file, options): the selected rows as a read-only
// array (a goja.DynamicArray over the shared table).
func parse(h bindings.Host, fileV, optsV goja.Value) (goja.Value, error) {
	r, err := newRows(h, fileV, optsV)
	if err != nil {
		return nil, err
	}
	return h.Goja().NewDynamicArray(&arrayView{r: r}), nil
}

// arrayView is the array csv.parse resolves to.
type arrayView struct{ r *rows }

// Len implements goja.DynamicArray.
func (a *arrayView) Len() int { return a.r.len() }

// Get implements goja.DynamicArray.
func (a *arrayView) Get(i int) goja.Value {
	if i < 0 || i >= a.r.len() {
		return goja.Undefined()
	}
	return a.r.row(i)
}

// Set implements goja.DynamicArray: the array is read-only.
func (a *arrayView) Set(int, goja.Value) bool {
	panic(a.r.rt.NewTypeError("the array of csv.parse is read-only"))
}

// SetLen implements goja.DynamicArray.
func (a *arrayView) SetLen(int) bool {
	panic(a.r.rt.NewTypeError("the array of csv.parse is read-only"))
}

// newParser makes a Parser: next() resolves to { done, value } with the next row.
func newParser(rt *goja.Runtime, r *rows) *goja.Object {
	o := rt.NewObject()
	next := 0
	_ = o.Set("next", func(goja.FunctionCall) goja.Value {
		p, resolve, _ := rt.NewPromise()
		res := rt.NewObject()
		if next >= r.len() {
			_ = res.Set("done", true)
			_ = res.Set("value", goja.Undefined())
		} else {
			_ = res.Set("done", false)
			_ = res.Set("value", r.row(next))
			next++
		}
		_ = resolve(res)
		return rt.ToValue(p)
	})
	return o
}
