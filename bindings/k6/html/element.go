package html

import (
	"bytes"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/dop251/goja"
	gohtml "golang.org/x/net/html"
)

// Element is one node of a document as k6's each() and get() hand it out, with
// the DOM methods k6 gives it (the common ones: k6's per-tag properties such as
// href() of links are reached with getAttribute).
type Element struct {
	node *gohtml.Node
	s    Selection // the node alone
}

func newElement(s Selection) Element {
	var n *gohtml.Node
	if len(s.sel.Nodes) > 0 {
		n = s.sel.Nodes[0]
	}
	return Element{node: n, s: s}
}

func (e Element) elem(n *gohtml.Node) goja.Value {
	if n == nil {
		return goja.Undefined()
	}
	return e.s.rt.ToValue(newElement(e.s.wrap(e.s.ofNode(n))))
}

func (e Element) elems(ns []*gohtml.Node) []goja.Value {
	out := make([]goja.Value, 0, len(ns))
	for _, n := range ns {
		out = append(out, e.elem(n))
	}
	return out
}

// Selection is the Selection of this element alone.
func (e Element) Selection() Selection { return e.s }

// NodeName is the tag name, lower-case as k6 gives it (#text, #comment,
// #document otherwise).
func (e Element) NodeName() string {
	switch e.node.Type {
	case gohtml.TextNode:
		return "#text"
	case gohtml.CommentNode:
		return "#comment"
	case gohtml.DocumentNode:
		return "#document"
	}
	return e.node.Data
}

// NodeType is the DOM node type: 1 element, 3 text, 8 comment, 9 document.
func (e Element) NodeType() int {
	switch e.node.Type {
	case gohtml.TextNode:
		return 3
	case gohtml.CommentNode:
		return 8
	case gohtml.DocumentNode:
		return 9
	case gohtml.DoctypeNode:
		return 10
	}
	return 1
}

// NodeValue is the text of a text or comment node, undefined for others.
func (e Element) NodeValue() goja.Value {
	if e.node.Type == gohtml.TextNode || e.node.Type == gohtml.CommentNode {
		return e.s.rt.ToValue(e.node.Data)
	}
	return goja.Undefined()
}

// TextContent, InnerHTML and ToString are the text, the inner HTML and the
// outer HTML.
func (e Element) TextContent() string { return e.s.sel.Text() }
func (e Element) InnerHTML() goja.Value {
	return e.s.Html()
}
func (e Element) ToString() string {
	var b bytes.Buffer
	_ = gohtml.Render(&b, e.node)
	return b.String()
}

// Id and ClassName are the id and class attributes; ClassList the classes.
func (e Element) Id() string        { return e.s.sel.AttrOr("id", "") } //nolint:revive // k6's name
func (e Element) ClassName() string { return e.s.sel.AttrOr("class", "") }
func (e Element) ClassList() []string {
	return strings.Fields(e.ClassName())
}

// Lang is the element's language, inherited.
func (e Element) Lang() string {
	return e.s.sel.Closest("[lang]").AttrOr("lang", "")
}

// GetAttribute, HasAttribute, HasAttributes and Attributes read attributes.
func (e Element) GetAttribute(name string) goja.Value { return e.s.Attr(name) }
func (e Element) HasAttribute(name string) bool {
	_, ok := e.s.sel.Attr(name)
	return ok
}
func (e Element) HasAttributes() bool {
	return e.node.Type == gohtml.ElementNode && len(e.node.Attr) > 0
}

// Attributes maps each attribute's name to { name, value }.
func (e Element) Attributes() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, a := range e.node.Attr {
		out[a.Key] = map[string]string{"name": a.Key, "value": a.Val}
	}
	return out
}

// HasChildNodes, ChildNodes, Children and ChildElementCount are the children.
func (e Element) HasChildNodes() bool { return e.node.FirstChild != nil }
func (e Element) ChildNodes() []goja.Value {
	var ns []*gohtml.Node
	for c := e.node.FirstChild; c != nil; c = c.NextSibling {
		ns = append(ns, c)
	}
	return e.elems(ns)
}
func (e Element) Children() []goja.Value { return e.elems(e.s.sel.Children().Nodes) }
func (e Element) ChildElementCount() int { return e.s.sel.Children().Length() }

// FirstChild, LastChild, the siblings and the parents, any node or elements only.
func (e Element) FirstChild() goja.Value { return e.elem(e.node.FirstChild) }
func (e Element) LastChild() goja.Value  { return e.elem(e.node.LastChild) }
func (e Element) FirstElementChild() goja.Value {
	return e.elem(first(e.s.sel.Children().First()))
}
func (e Element) LastElementChild() goja.Value { return e.elem(first(e.s.sel.Children().Last())) }
func (e Element) PreviousSibling() goja.Value  { return e.elem(e.node.PrevSibling) }
func (e Element) NextSibling() goja.Value      { return e.elem(e.node.NextSibling) }
func (e Element) PreviousElementSibling() goja.Value {
	return e.elem(first(e.s.sel.Prev()))
}
func (e Element) NextElementSibling() goja.Value { return e.elem(first(e.s.sel.Next())) }
func (e Element) ParentNode() goja.Value         { return e.elem(e.node.Parent) }
func (e Element) ParentElement() goja.Value      { return e.elem(first(e.s.sel.Parent())) }

func first(s *goquery.Selection) *gohtml.Node {
	if len(s.Nodes) == 0 {
		return nil
	}
	return s.Nodes[0]
}

// QuerySelector, QuerySelectorAll, GetElementsByTagName and
// GetElementsByClassName search the descendants.
func (e Element) QuerySelector(sel string) goja.Value {
	return e.elem(first(e.s.sel.Find(sel).First()))
}
func (e Element) QuerySelectorAll(sel string) []goja.Value {
	return e.elems(e.s.sel.Find(sel).Nodes)
}
func (e Element) GetElementsByTagName(tag string) []goja.Value {
	return e.elems(e.s.sel.Find(tag).Nodes)
}
func (e Element) GetElementsByClassName(class string) []goja.Value {
	return e.elems(e.s.sel.Find("." + strings.Join(strings.Fields(class), ".")).Nodes)
}

// Matches reports whether the element matches a selector; Contains whether an
// element is inside this one.
func (e Element) Matches(sel string) bool { return e.s.sel.Is(sel) }
func (e Element) Contains(v goja.Value) bool {
	o, ok := v.Export().(Element)
	return ok && e.s.sel.Contains(o.node)
}

// IsSameNode and IsEqualNode compare with another element.
func (e Element) IsSameNode(v goja.Value) bool {
	o, ok := v.Export().(Element)
	return ok && o.node == e.node
}
func (e Element) IsEqualNode(v goja.Value) bool {
	o, ok := v.Export().(Element)
	return ok && o.ToString() == e.ToString()
}
