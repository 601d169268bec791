// Package data binds the `jsload/data` module: table(name) gives a script-controlled
// cursor over a table of options.data, for scripts that advance rows themselves
// rather than once per iteration.
package data

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
)

// Module builds the exports of `jsload/data` for h's runtime.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	exp := rt.NewObject()
	_ = exp.Set("table", func(name string) *goja.Object { return newTable(h, name) })
	return exp
}

// newTable returns the JS view of a cursor over table name. The cursor is made on
// first use, so table() may be called at the top level of a script, before the VU's
// data bindings are attached.
func newTable(h bindings.Host, name string) *goja.Object {
	rt := h.Goja()
	var cur *dict.Cursor
	cursor := func() *dict.Cursor {
		if cur == nil {
			feed := h.DataFeed()
			if feed == nil {
				bindings.Throw(rt, fmt.Errorf("table(%q): the test has no options.data, or this VU's group has no table bound", name))
			}
			c, err := feed.Cursor(name)
			if err != nil {
				bindings.Throw(rt, fmt.Errorf("table(%q): %w", name, err))
			}
			cur = c
		}
		return cur
	}
	rowObject := func(c *dict.Cursor, cells []string) goja.Value {
		if cells == nil {
			return goja.Null()
		}
		obj := rt.NewObject()
		for i, col := range c.Columns() {
			_ = obj.Set(col, cells[i])
		}
		return obj
	}
	t := rt.NewObject()
	_ = t.Set("name", name)
	_ = t.Set("next", func() goja.Value {
		c := cursor()
		return rowObject(c, c.Next())
	})
	_ = t.Set("hasNext", func() bool { return cursor().HasNext() })
	_ = t.Set("reset", func() { cursor().Reset() })
	_ = t.DefineAccessorProperty("row", rt.ToValue(func() goja.Value { c := cursor(); return rowObject(c, c.Row()) }), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = t.DefineAccessorProperty("size", rt.ToValue(func() int { return cursor().Size() }), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = t.DefineAccessorProperty("index", rt.ToValue(func() int { return cursor().Index() }), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	return t
}
