package k6http

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	k6 "github.com/jsload/jsload/bindings/k6"
	"github.com/jsload/jsload/bindings/k6/html"
)

// responseMethods are the methods k6 gives responses besides json().
func (m *module) responseMethods() map[string]goja.Value {
	return map[string]goja.Value{
		"html":       m.rt.ToValue(m.html),
		"submitForm": m.rt.ToValue(m.submitForm),
		"clickLink":  m.rt.ToValue(m.clickLink),
	}
}

// document parses the body of the response call is made on.
func (m *module) document(call goja.FunctionCall, what string) (html.Selection, string) {
	res, ok := call.This.(*goja.Object)
	if !ok {
		bindings.Throw(m.rt, fmt.Errorf("%s() must be called on a response, as res.%s()", what, what))
	}
	body, u := res.Get("body"), res.Get("url").String()
	if body == nil || goja.IsNull(body) || goja.IsUndefined(body) {
		bindings.Throw(m.rt, fmt.Errorf("%s(): the response of %s has no body (the request failed, or its responseType is 'none')", what, u))
	}
	b, err := k6.ToBytes(m.rt, body, "the body")
	if err != nil {
		bindings.Throw(m.rt, err)
	}
	doc, err := html.Parse(m.rt, string(b), u)
	if err != nil {
		bindings.Throw(m.rt, err)
	}
	return doc, u
}

// html implements res.html([selector]).
func (m *module) html(call goja.FunctionCall) goja.Value {
	doc, _ := m.document(call, "html")
	if sel := call.Argument(0); !goja.IsUndefined(sel) {
		return m.rt.ToValue(doc.Find(sel))
	}
	return m.rt.ToValue(doc)
}

// options reads the object argument of submitForm or clickLink.
func (m *module) options(v goja.Value) map[string]goja.Value {
	out := map[string]goja.Value{}
	o, ok := v.(*goja.Object)
	if !ok {
		return out
	}
	for _, k := range o.Keys() {
		out[k] = o.Get(k)
	}
	return out
}

func str(v goja.Value, def string) string {
	if bindings.IsNullish(v) {
		return def
	}
	return v.String()
}

// resolve resolves ref against the response's URL.
func (m *module) resolve(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		bindings.Throw(m.rt, fmt.Errorf("invalid response URL %q: %w", base, err))
	}
	r, err := url.Parse(ref)
	if err != nil {
		bindings.Throw(m.rt, fmt.Errorf("invalid link %q: %w", ref, err))
	}
	return b.ResolveReference(r).String()
}

// request makes a request through the module's request().
func (m *module) request(method, u string, body, params goja.Value) goja.Value {
	fn, _ := goja.AssertFunction(m.client.Exports().Get("request"))
	res, err := fn(goja.Undefined(), m.rt.ToValue(method), m.rt.ToValue(u), body, params)
	if err != nil {
		panic(err)
	}
	return res
}

// submitForm implements res.submitForm({ formSelector, submitSelector, fields,
// params }): it fills the form's fields (with fields over them, and the submit
// button's name and value) and sends it by its method to its action.
func (m *module) submitForm(call goja.FunctionCall) goja.Value {
	doc, u := m.document(call, "submitForm")
	opts := m.options(call.Argument(0))
	formSel := str(opts["formSelector"], "form")
	form := doc.Find(m.rt.ToValue(formSel)).First()
	if form.Size() == 0 {
		bindings.Throw(m.rt, fmt.Errorf("submitForm: no form for selector %q in the response of %s", formSel, u))
	}
	method := http.MethodGet
	if a := form.Attr("method"); !goja.IsUndefined(a) {
		method = a.String()
	}
	target := u
	if a := form.Attr("action"); !goja.IsUndefined(a) {
		target = m.resolve(u, a.String())
	}
	fields := m.rt.NewObject()
	for _, f := range form.SerializeArray() {
		_ = fields.Set(f.Name, f.Value)
	}
	submit := form.Find(m.rt.ToValue(str(opts["submitSelector"], `[type="submit"]`)))
	if name := submit.Attr("name"); !goja.IsUndefined(name) {
		_ = fields.Set(name.String(), submit.Val())
	}
	if extra, ok := opts["fields"].(*goja.Object); ok {
		for _, k := range extra.Keys() {
			_ = fields.Set(k, extra.Get(k))
		}
	}
	params := opts["params"]
	if params == nil {
		params = goja.Null()
	}
	if method = strings.ToUpper(method); method == http.MethodGet {
		q, _ := url.Parse(target)
		vals := url.Values{}
		for _, k := range fields.Keys() {
			vals.Add(k, fields.Get(k).String())
		}
		q.RawQuery = vals.Encode()
		return m.request(method, q.String(), goja.Null(), params)
	}
	return m.request(method, target, fields, params)
}

// clickLink implements res.clickLink({ selector, params }): a GET of the first
// matching link's href.
func (m *module) clickLink(call goja.FunctionCall) goja.Value {
	doc, u := m.document(call, "clickLink")
	opts := m.options(call.Argument(0))
	sel := str(opts["selector"], "a[href]")
	link := doc.Find(m.rt.ToValue(sel))
	if link.Size() == 0 {
		bindings.Throw(m.rt, fmt.Errorf("clickLink: no element for selector %q in the response of %s", sel, u))
	}
	href := link.Attr("href")
	if goja.IsUndefined(href) {
		bindings.Throw(m.rt, fmt.Errorf("clickLink: the element %q in the response of %s has no href", sel, u))
	}
	params := opts["params"]
	if params == nil {
		params = goja.Undefined()
	}
	return m.request(http.MethodGet, m.resolve(u, href.String()), goja.Undefined(), params)
}
