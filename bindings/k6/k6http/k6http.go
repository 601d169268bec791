// Package k6http is k6/http: jsload/http (bindings/http) in k6's dialect (whose
// cookie jars, cookieJar() and CookieJar, are k6's already), with what k6 adds
// around it: http.url, http.file, expectedStatuses and
// setResponseCallback, the TLS_* and OCSP_* constants, and the responses'
// html(), submitForm() and clickLink() (over k6/html).
package k6http

import (
	"fmt"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	httpbind "github.com/jsload/jsload/bindings/http"
	k6 "github.com/jsload/jsload/bindings/k6"
)

// constants are k6/http's TLS_* and OCSP_* values.
var constants = map[string]string{
	"TLS_1_0": "tls1.0", "TLS_1_1": "tls1.1", "TLS_1_2": "tls1.2", "TLS_1_3": "tls1.3",
	"OCSP_STATUS_GOOD": "good", "OCSP_STATUS_REVOKED": "revoked", "OCSP_STATUS_SERVER_FAILED": "server_failed",
	"OCSP_STATUS_UNKNOWN": "unknown", "OCSP_REASON_UNSPECIFIED": "unspecified", "OCSP_REASON_KEY_COMPROMISE": "key_compromise",
	"OCSP_REASON_CA_COMPROMISE": "ca_compromise", "OCSP_REASON_AFFILIATION_CHANGED": "affiliation_changed",
	"OCSP_REASON_SUPERSEDED": "superseded", "OCSP_REASON_CESSATION_OF_OPERATION": "cessation_of_operation",
	"OCSP_REASON_CERTIFICATE_HOLD": "certificate_hold", "OCSP_REASON_REMOVE_FROM_CRL": "remove_from_crl",
	"OCSP_REASON_PRIVILEGE_WITHDRAWN": "privilege_withdrawn", "OCSP_REASON_AA_COMPROMISE": "aa_compromise",
}

// module is k6/http in one runtime.
type module struct {
	h      bindings.Host
	rt     *goja.Runtime
	client *httpbind.Client
}

// Module builds the exports of k6/http for h's runtime.
func Module(h bindings.Host) *goja.Object {
	m := &module{h: h, rt: h.Goja()}
	m.client = httpbind.NewModule(h, httpbind.Dialect{K6: true, Methods: m.responseMethods()})
	o := m.client.Exports()
	for k, v := range constants {
		_ = o.DefineDataProperty(k, m.rt.ToValue(v), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	_ = o.Set("url", m.url)
	_ = o.Set("file", m.file)
	_ = o.Set("expectedStatuses", m.expectedStatuses)
	_ = o.Set("setResponseCallback", func(call goja.FunctionCall) goja.Value {
		v := call.Argument(0)
		if goja.IsNull(v) || goja.IsUndefined(v) {
			m.client.SetResponseCallback(nil)
			return goja.Undefined()
		}
		e, ok := v.Export().(*httpbind.ExpectedStatuses)
		if !ok {
			bindings.Throw(m.rt, fmt.Errorf("http.setResponseCallback: want http.expectedStatuses(...) or null, got %s", v))
		}
		m.client.SetResponseCallback(e)
		return goja.Undefined()
	})
	return o
}

// url implements the http.url tagged template: the URL, named by the template
// with ${} in place of each value, so ever new ids share one name tag.
func (m *module) url(call goja.FunctionCall) goja.Value {
	parts, ok := call.Argument(0).(*goja.Object)
	if !ok {
		bindings.Throw(m.rt, fmt.Errorf("http.url is a tagged template: write http.url`https://host/items/${id}`"))
	}
	n := int(parts.Get("length").ToInteger())
	var u, name strings.Builder
	for i := range n {
		p := parts.Get(fmt.Sprint(i)).String()
		u.WriteString(p)
		name.WriteString(p)
		if i+1 < n {
			u.WriteString(call.Argument(i + 1).String())
			name.WriteString("${}")
		}
	}
	return m.rt.ToValue(&httpbind.NamedURL{URL: u.String(), Name: name.String()})
}

// file implements http.file(data[, filename[, contentType]]), a file part of a
// multipart body.
func (m *module) file(call goja.FunctionCall) goja.Value {
	data, err := k6.ToBytes(m.rt, call.Argument(0), "http.file's data")
	if err != nil {
		bindings.Throw(m.rt, err)
	}
	f := &httpbind.File{Data: append([]byte(nil), data...), Filename: fmt.Sprint(time.Now().UnixNano()), ContentType: "application/octet-stream"}
	if v := call.Argument(1); !goja.IsUndefined(v) && !goja.IsNull(v) {
		f.Filename = v.String()
	}
	if v := call.Argument(2); !goja.IsUndefined(v) && !goja.IsNull(v) {
		f.ContentType = v.String()
	}
	return m.rt.ToValue(f)
}

// expectedStatuses implements http.expectedStatuses(200, {min: 300, max: 399}, ...).
func (m *module) expectedStatuses(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		bindings.Throw(m.rt, fmt.Errorf("http.expectedStatuses: give statuses (200) or ranges ({ min: 200, max: 299 })"))
	}
	var exact []int
	var ranges [][2]int
	for i, a := range call.Arguments {
		if o, isObj := a.(*goja.Object); isObj {
			lo, hi := o.Get("min"), o.Get("max")
			if !isInteger(lo) || !isInteger(hi) {
				bindings.Throw(m.rt, fmt.Errorf("http.expectedStatuses: argument %d: a range is { min, max } with two integers, got %s", i+1, a))
			}
			ranges = append(ranges, [2]int{int(lo.ToInteger()), int(hi.ToInteger())})
			continue
		}
		if !isInteger(a) {
			bindings.Throw(m.rt, fmt.Errorf("http.expectedStatuses: argument %d is neither an integer nor an object like { min: 100, max: 329 }", i+1))
		}
		exact = append(exact, int(a.ToInteger()))
	}
	return m.rt.ToValue(httpbind.NewExpectedStatuses(exact, ranges))
}

func isInteger(v goja.Value) bool {
	if v == nil {
		return false
	}
	f, ok := v.Export().(int64)
	if ok {
		return f == f
	}
	x, isFloat := v.Export().(float64)
	return isFloat && x == float64(int64(x))
}
