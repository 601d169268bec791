// Package html is k6/html: parseHTML and the Selection API k6 scripts use
// (jQuery-like: find, attr, text, each, map, filter, serialize...), and the
// Element objects each() and get() hand out, on github.com/PuerkitoBio/goquery
// (a well-kept jQuery port over golang.org/x/net/html and cascadia selectors).
//
// Selections and Elements are Go values the runtime wraps by reflection: their
// exported methods are the JavaScript methods, lowerCamel (Html is html()). They
// belong to the runtime that made them.
package html

import (
	"errors"
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/dop251/goja"
	gohtml "golang.org/x/net/html"

	"github.com/jsload/jsload/bindings"
)

// Module builds the exports of k6/html for h's runtime.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	o := rt.NewObject()
	_ = o.Set("parseHTML", func(src string) Selection {
		s, err := Parse(rt, src, "")
		if err != nil {
			bindings.Throw(rt, err)
		}
		return s
	})
	return o
}

// Parse parses an HTML document into the Selection of its root; url, the
// document's address ("" for none), resolves relative links (submitForm,
// clickLink, and href() of links).
func Parse(rt *goja.Runtime, src, url string) (Selection, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(src))
	if err != nil {
		return Selection{}, fmt.Errorf("parseHTML: %w", err)
	}
	return Selection{rt: rt, sel: doc.Selection, url: url}, nil
}

// Selection is a set of nodes of a document, as k6 (and jQuery) has it.
type Selection struct {
	rt  *goja.Runtime
	sel *goquery.Selection
	url string
}

func (s Selection) wrap(sel *goquery.Selection) Selection {
	return Selection{rt: s.rt, sel: sel, url: s.url}
}

func (s Selection) throw(err error) { bindings.Throw(s.rt, err) }

// arg reads an argument that may be a selector, a Selection or an Element.
func (s Selection) arg(v goja.Value, what string) (selector string, other *goquery.Selection) {
	switch x := v.Export().(type) {
	case string:
		return x, nil
	case Selection:
		return "", x.sel
	case Element:
		return "", s.ofNode(x.node)
	}
	if v == nil || goja.IsUndefined(v) {
		s.throw(fmt.Errorf("%s() needs a selector, a Selection or an Element", what))
	}
	return v.String(), nil
}

// ofNode is a selection of n alone, in the document of s (a new slice of nodes:
// goquery's selections share theirs).
func (s Selection) ofNode(n *gohtml.Node) *goquery.Selection {
	sel := s.sel.Slice(0, 0)
	sel.Nodes = []*gohtml.Node{n}
	return sel
}

// pick applies bySel to the nodes of a Selection or Element argument, byStr to a
// selector.
func (s Selection) pick(v goja.Value, what string, bySel func(*goquery.Selection) *goquery.Selection, byStr func(string) *goquery.Selection) Selection {
	sel, other := s.arg(v, what)
	if other != nil {
		return s.wrap(bySel(other))
	}
	return s.wrap(byStr(sel))
}

// match turns a JavaScript predicate (index, element) into goquery's.
func (s Selection) match(fn goja.Callable) func(int, *goquery.Selection) bool {
	return func(i int, sel *goquery.Selection) bool {
		r, err := fn(goja.Undefined(), s.rt.ToValue(i), s.rt.ToValue(newElement(s.wrap(sel))))
		if err != nil {
			panic(err)
		}
		return r.ToBoolean()
	}
}

// Find returns the descendants matching a selector, Selection or Element.
func (s Selection) Find(v goja.Value) Selection {
	return s.pick(v, "find", s.sel.FindSelection, s.sel.Find)
}

// Closest returns the first ancestor-or-self of each node that matches.
func (s Selection) Closest(v goja.Value) Selection {
	return s.pick(v, "closest", s.sel.ClosestSelection, s.sel.Closest)
}

// Has keeps the nodes with a descendant that matches.
func (s Selection) Has(v goja.Value) Selection {
	return s.pick(v, "has", s.sel.HasSelection, s.sel.Has)
}

// Not drops the nodes that match a selector, Selection or predicate.
func (s Selection) Not(v goja.Value) Selection {
	if fn, ok := goja.AssertFunction(v); ok {
		return s.wrap(s.sel.NotFunction(s.match(fn)))
	}
	return s.pick(v, "not", s.sel.NotSelection, s.sel.Not)
}

// Filter keeps the nodes that match a selector, Selection or predicate.
func (s Selection) Filter(v goja.Value) Selection {
	if fn, ok := goja.AssertFunction(v); ok {
		return s.wrap(s.sel.FilterFunction(s.match(fn)))
	}
	return s.pick(v, "filter", s.sel.FilterSelection, s.sel.Filter)
}

// Is reports whether a node matches a selector, Selection or predicate.
func (s Selection) Is(v goja.Value) bool {
	if fn, ok := goja.AssertFunction(v); ok {
		return s.sel.IsFunction(s.match(fn))
	}
	sel, other := s.arg(v, "is")
	if other != nil {
		return s.sel.IsSelection(other)
	}
	return s.sel.Is(sel)
}

// Add returns the union with the nodes matching a selector or a Selection.
func (s Selection) Add(v goja.Value) Selection {
	return s.pick(v, "add", s.sel.AddSelection, s.sel.Add)
}

// filtered applies a traversal, then an optional selector.
func (s Selection) filtered(all func() *goquery.Selection, filter func(string) *goquery.Selection, sel []string) Selection {
	if len(sel) > 0 && sel[0] != "" {
		return s.wrap(filter(sel[0]))
	}
	return s.wrap(all())
}

// Children returns the child elements, optionally those matching a selector.
func (s Selection) Children(sel ...string) Selection {
	return s.filtered(s.sel.Children, s.sel.ChildrenFiltered, sel)
}

// Parent returns the parents, optionally those matching a selector.
func (s Selection) Parent(sel ...string) Selection {
	return s.filtered(s.sel.Parent, s.sel.ParentFiltered, sel)
}

// Parents returns the ancestors, optionally those matching a selector.
func (s Selection) Parents(sel ...string) Selection {
	return s.filtered(s.sel.Parents, s.sel.ParentsFiltered, sel)
}

// Next returns the next siblings, optionally those matching a selector.
func (s Selection) Next(sel ...string) Selection {
	return s.filtered(s.sel.Next, s.sel.NextFiltered, sel)
}

// NextAll returns all following siblings.
func (s Selection) NextAll(sel ...string) Selection {
	return s.filtered(s.sel.NextAll, s.sel.NextAllFiltered, sel)
}

// Prev returns the previous siblings.
func (s Selection) Prev(sel ...string) Selection {
	return s.filtered(s.sel.Prev, s.sel.PrevFiltered, sel)
}

// PrevAll returns all preceding siblings.
func (s Selection) PrevAll(sel ...string) Selection {
	return s.filtered(s.sel.PrevAll, s.sel.PrevAllFiltered, sel)
}

// Siblings returns the siblings.
func (s Selection) Siblings(sel ...string) Selection {
	return s.filtered(s.sel.Siblings, s.sel.SiblingsFiltered, sel)
}

// NextUntil, PrevUntil and ParentsUntil stop at the first node matching until.
func (s Selection) NextUntil(until string) Selection    { return s.wrap(s.sel.NextUntil(until)) }
func (s Selection) PrevUntil(until string) Selection    { return s.wrap(s.sel.PrevUntil(until)) }
func (s Selection) ParentsUntil(until string) Selection { return s.wrap(s.sel.ParentsUntil(until)) }

// Contents returns the children, text and comment nodes included.
func (s Selection) Contents() Selection { return s.wrap(s.sel.Contents()) }

// End returns the selection before the last traversal.
func (s Selection) End() Selection { return s.wrap(s.sel.End()) }

// Size is the number of nodes.
func (s Selection) Size() int { return s.sel.Length() }

// Eq, First, Last and Slice pick nodes by position (Eq and Slice take negative
// positions from the end).
func (s Selection) Eq(i int) Selection { return s.wrap(s.sel.Eq(i)) }
func (s Selection) First() Selection   { return s.wrap(s.sel.First()) }
func (s Selection) Last() Selection    { return s.wrap(s.sel.Last()) }
func (s Selection) Slice(start int, end ...int) Selection {
	e := s.sel.Length()
	if len(end) > 0 && end[0] < e {
		e = end[0]
	}
	return s.wrap(s.sel.Slice(start, e))
}

// Text is the combined text of the nodes and their descendants.
func (s Selection) Text() string { return s.sel.Text() }

// Html is the inner HTML of the first node, undefined when there is none.
func (s Selection) Html() goja.Value {
	if s.sel.Length() == 0 {
		return goja.Undefined()
	}
	h, err := s.sel.Html()
	if err != nil {
		return goja.Undefined()
	}
	return s.rt.ToValue(h)
}

// Attr is the first node's attribute name, or def (else undefined) without one.
func (s Selection) Attr(name string, def ...goja.Value) goja.Value {
	if v, ok := s.sel.Attr(name); ok {
		return s.rt.ToValue(v)
	}
	if len(def) > 0 {
		return def[0]
	}
	return goja.Undefined()
}

// Val is the value of the first form control: an input's value (on for a
// checked box without one), a textarea's text, a select's selected option(s).
func (s Selection) Val() goja.Value {
	switch goquery.NodeName(s.sel) {
	case "input":
		v, ok := s.sel.Attr("value")
		if !ok {
			if t := s.sel.AttrOr("type", ""); t == "radio" || t == "checkbox" {
				v = "on"
			}
		}
		return s.rt.ToValue(v)
	case "button":
		return s.rt.ToValue(s.sel.AttrOr("value", ""))
	case "textarea":
		return s.rt.ToValue(s.sel.Text())
	case "option":
		return s.rt.ToValue(optionValue(s.sel))
	case "select":
		selected := s.sel.Find("option[selected]")
		if _, multiple := s.sel.Attr("multiple"); multiple {
			var vals []string
			selected.Each(func(_ int, o *goquery.Selection) { vals = append(vals, optionValue(o)) })
			return s.rt.ToValue(vals)
		}
		if selected.Length() == 0 {
			selected = s.sel.Find("option").First()
		}
		if selected.Length() == 0 {
			return goja.Undefined()
		}
		return s.rt.ToValue(optionValue(selected.First()))
	}
	return goja.Undefined()
}

func optionValue(o *goquery.Selection) string {
	if v, ok := o.Attr("value"); ok {
		return v
	}
	return strings.TrimSpace(o.Text())
}

// Each calls fn(index, element) for each node; it returns the selection.
func (s Selection) Each(v goja.Value) Selection {
	fn, ok := goja.AssertFunction(v)
	if !ok {
		s.throw(errors.New("each(fn): the argument must be a function"))
	}
	for i := range s.sel.Nodes {
		if _, err := fn(v, s.rt.ToValue(i), s.rt.ToValue(newElement(s.wrap(s.sel.Eq(i))))); err != nil {
			panic(err)
		}
	}
	return s
}

// Map calls fn(index, selection) for each node and returns the results (k6 hands
// map's function a Selection of the one node, each's an Element).
func (s Selection) Map(v goja.Value) []goja.Value {
	fn, ok := goja.AssertFunction(v)
	if !ok {
		s.throw(errors.New("map(fn): the argument must be a function"))
	}
	out := make([]goja.Value, 0, s.sel.Length())
	for i := range s.sel.Nodes {
		r, err := fn(v, s.rt.ToValue(i), s.rt.ToValue(s.wrap(s.sel.Eq(i))))
		if err != nil {
			panic(err)
		}
		out = append(out, r)
	}
	return out
}

// Get returns the Elements, or the one at index (negative from the end).
func (s Selection) Get(index ...int) goja.Value {
	n := s.sel.Length()
	if len(index) == 0 {
		out := make([]any, n)
		for i := range n {
			out[i] = newElement(s.wrap(s.sel.Eq(i)))
		}
		return s.rt.NewArray(out...)
	}
	if i := index[0]; i < n && i > -n {
		return s.rt.ToValue(newElement(s.wrap(s.sel.Eq(i))))
	}
	return goja.Undefined()
}

// ToArray returns one Selection per node.
func (s Selection) ToArray() []Selection {
	out := make([]Selection, s.sel.Length())
	for i := range out {
		out[i] = s.wrap(s.sel.Eq(i))
	}
	return out
}

// Index is the position of the first node among its siblings, or of a node
// matching a selector, Selection or Element within this selection.
func (s Selection) Index(v ...goja.Value) int {
	if len(v) == 0 {
		return s.sel.Index()
	}
	switch x := v[0].Export().(type) {
	case string:
		return s.sel.IndexSelector(x)
	case Selection:
		return s.sel.IndexOfSelection(x.sel)
	case Element:
		return s.sel.IndexOfNode(x.node)
	}
	return -1
}

// Data reads the first node's data-* attributes: one by its camelCase key, or all
// as an object; numbers, booleans and JSON values are converted as in jQuery.
func (s Selection) Data(key ...string) goja.Value {
	if s.sel.Length() == 0 {
		return goja.Undefined()
	}
	if len(key) > 0 {
		if v, ok := s.sel.Attr("data-" + camelToKebab(key[0])); ok {
			return s.rt.ToValue(dataValue(v))
		}
		return goja.Undefined()
	}
	out := s.rt.NewObject() // in the attributes' order
	for _, a := range s.sel.Nodes[0].Attr {
		if k, ok := strings.CutPrefix(a.Key, "data-"); ok && k != "" {
			_ = out.Set(kebabToCamel(k), bindings.ToJS(s.rt, dataValue(a.Val)))
		}
	}
	return out
}
