package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// responseKeys are the enumerable fields of a response, in JSON.stringify order.
// json() is read through Get but not listed, so Object.keys and JSON.stringify
// leave it out as they would a method of the prototype. (Responses have no
// prototype of their own: setting one costs about a microsecond per response.)
var responseKeys = []string{"status", "statusText", "proto", "url", "headers", "body", "timings", "error", "errorCode", "request"}

// response is the JavaScript view of a result: a dynamic object whose fields are
// converted when first read, so a script pays only for what it looks at. Fields a
// script sets are kept beside. It belongs to its runtime's goroutine.
type response struct {
	m   *module
	res *result

	body, headers, timings, request, parsed, cookies goja.Value // made on first read
	own                                              map[string]goja.Value
}

// newResponse wraps res for the runtime.
func (m *module) newResponse(res *result) *goja.Object {
	res.view = response{m: m, res: res}
	return m.rt.NewDynamicObject(&res.view)
}

// Get implements goja.DynamicObject.
func (r *response) Get(key string) goja.Value {
	if v, ok := r.own[key]; ok {
		return v
	}
	if r.m.dialect.K6 {
		if v, ok := r.k6Get(key); ok {
			return v
		}
	}
	rt, res := r.m.rt, r.res
	switch key {
	case "status":
		return rt.ToValue(res.status)
	case "statusText":
		_, text, _ := strings.Cut(res.line, " ")
		return rt.ToValue(text)
	case "proto":
		return rt.ToValue(res.proto)
	case "url":
		return rt.ToValue(res.url)
	case "error":
		return rt.ToValue(res.msg)
	case "errorCode":
		return rt.ToValue(res.code)
	case "body":
		if r.body == nil {
			r.body = r.bodyValue()
		}
		return r.body
	case "headers":
		if r.headers == nil {
			var h http.Header
			if res.resp != nil {
				h = res.resp.Header()
			}
			r.headers = headerObject(rt, h)
		}
		return r.headers
	case "timings":
		if r.timings == nil {
			r.timings = rt.NewDynamicObject(&timingsObject{rt: rt, t: &res.hops[len(res.hops)-1].t, k6: r.m.dialect.K6})
		}
		return r.timings
	case "json":
		return r.m.jsonFn
	case "request":
		if r.request == nil {
			o := rt.NewObject()
			_ = o.Set("method", res.method)
			_ = o.Set("url", res.url)
			_ = o.Set("headers", headerObject(rt, res.req.header))
			r.request = o
		}
		return r.request
	}
	return nil
}

func (r *response) bodyValue() goja.Value {
	rt, res := r.m.rt, r.res
	switch {
	case res.status == 0 || res.req.respType == respNone:
		return goja.Null()
	case res.req.respType == respBinary:
		return rt.ToValue(rt.NewArrayBuffer(res.binary))
	}
	return rt.ToValue(res.text)
}

// Set implements goja.DynamicObject: a script may add or replace fields.
func (r *response) Set(key string, val goja.Value) bool {
	if r.own == nil {
		r.own = map[string]goja.Value{}
	}
	r.own[key] = val
	return true
}

// Has implements goja.DynamicObject.
func (r *response) Has(key string) bool {
	_, ok := r.own[key]
	_, method := r.m.dialect.Methods[key]
	return ok || method || key == "json" || slices.Contains(r.m.respKeys, key)
}

// Delete implements goja.DynamicObject: a deleted field reads as undefined.
func (r *response) Delete(key string) bool {
	if slices.Contains(r.m.respKeys, key) {
		r.Set(key, goja.Undefined())
		return true
	}
	delete(r.own, key)
	return true
}

// Keys implements goja.DynamicObject.
func (r *response) Keys() []string {
	if len(r.own) == 0 {
		return r.m.respKeys
	}
	keys := slices.Clone(r.m.respKeys)
	for k := range r.own {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// json implements response.json([selector]): the body parsed as JSON (the same
// object on every call), or the value at a dotted path in it ("items.0.id",
// "items[0].id"; undefined when absent).
func (m *module) json(call goja.FunctionCall) goja.Value {
	obj, _ := call.This.(*goja.Object)
	var r *response
	if obj != nil {
		r, _ = obj.Export().(*response)
	}
	if r == nil {
		panic(m.rt.NewTypeError("json() must be called on a response, as res.json()"))
	}
	if sel := call.Argument(0); !bindings.IsNullish(sel) && m.dialect.K6 {
		return r.k6Select(sel.String()) // k6's selectors are gjson's
	}
	if r.parsed == nil {
		r.parsed = r.parseJSON()
	}
	if sel := call.Argument(0); !bindings.IsNullish(sel) {
		return selectPath(m.rt, r.parsed, sel.String())
	}
	return r.parsed
}

func (r *response) parseJSON() goja.Value {
	rt, res := r.m.rt, r.res
	var text string
	switch {
	case res.status == 0:
		r.m.throw(fmt.Errorf("json(): %s %s failed, there is no body: %s", res.method, res.url, res.msg))
	case res.req.respType == respNone:
		r.m.throw(fmt.Errorf("json(): the body of %s %s was discarded (responseType 'none')", res.method, res.url))
	case res.req.respType == respBinary:
		text = string(res.binary)
	default:
		text = res.text
	}
	if v, ok := jsonToValue(rt, text); ok {
		return v
	}
	v, err := r.m.parse(goja.Undefined(), rt.ToValue(text)) // for its error (see jsonToValue)
	if err != nil {
		r.m.throwTyped("SyntaxError", jsonError(res, text, err))
	}
	return v
}

// jsonError describes invalid JSON: which response, where it breaks, and how the
// body starts.
func jsonError(res *result, body string, parseErr error) error {
	head := body
	if len(head) > 60 {
		head = head[:60] + "…"
	}
	var v any
	var syn *json.SyntaxError
	if err := json.Unmarshal([]byte(body), &v); errors.As(err, &syn) && syn.Offset > 0 {
		before := body[:syn.Offset-1] // Offset counts the bytes read, the bad one included
		line := 1 + strings.Count(before, "\n")
		col := len(before) - strings.LastIndexByte(before, '\n')
		return fmt.Errorf("response of %s %s (status %d) is not valid JSON: %s at byte %d (line %d, column %d); the body starts with %q",
			res.method, res.url, res.status, syn, syn.Offset, line, col, head)
	}
	msg := parseErr.Error()
	var ex *goja.Exception
	if errors.As(parseErr, &ex) {
		msg = ex.Value().String()
	}
	return fmt.Errorf("response of %s %s (status %d) is not valid JSON: %s; the body starts with %q", res.method, res.url, res.status, msg, head)
}

// selectPath walks a dotted path ("a.b.0", "a.b[0]") from v.
func selectPath(rt *goja.Runtime, v goja.Value, path string) goja.Value {
	path = strings.NewReplacer("[", ".", "]", "").Replace(path)
	for _, seg := range strings.Split(path, ".") {
		if seg == "" {
			continue
		}
		obj, ok := v.(*goja.Object)
		if !ok {
			return goja.Undefined()
		}
		if v = obj.Get(seg); v == nil {
			return goja.Undefined()
		}
	}
	return v
}

// timingsObject is the read-only `timings` of a response.
type timingsObject struct {
	rt *goja.Runtime
	t  *timings
	k6 bool // k6's names: tls_handshaking, and looking_up (always 0: DNS is in blocked)
}

var (
	timingKeys   = []string{"blocked", "connecting", "tlsHandshaking", "sending", "waiting", "receiving", "duration"}
	k6TimingKeys = []string{"duration", "blocked", "looking_up", "connecting", "tls_handshaking", "sending", "waiting", "receiving"}
)

// Get implements goja.DynamicObject.
func (o *timingsObject) Get(key string) goja.Value {
	var v float64
	if o.k6 {
		switch key {
		case "tlsHandshaking":
			return nil
		case "tls_handshaking":
			key = "tlsHandshaking"
		case "looking_up":
			return o.rt.ToValue(0)
		}
	}
	switch key {
	case "blocked":
		v = o.t.blocked
	case "connecting":
		v = o.t.connecting
	case "tlsHandshaking":
		v = o.t.tlsHandshaking
	case "sending":
		v = o.t.sending
	case "waiting":
		v = o.t.waiting
	case "receiving":
		v = o.t.receiving
	case "duration":
		v = o.t.duration
	default:
		return nil
	}
	return o.rt.ToValue(v)
}

// Set, Has, Delete and Keys implement goja.DynamicObject; timings are read-only.
func (o *timingsObject) Set(string, goja.Value) bool { return false }
func (o *timingsObject) Has(key string) bool         { return slices.Contains(o.Keys(), key) }
func (o *timingsObject) Delete(string) bool          { return false }
func (o *timingsObject) Keys() []string {
	if o.k6 {
		return k6TimingKeys
	}
	return timingKeys
}

// headerObject converts headers to an object of canonical names, in name order;
// repeated headers are joined with ", " (Set-Cookie too).
func headerObject(rt *goja.Runtime, h http.Header) *goja.Object {
	o := rt.NewObject()
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		_ = o.Set(k, strings.Join(h[k], ", "))
	}
	return o
}
