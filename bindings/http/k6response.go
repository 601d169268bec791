package http

import (
	"crypto/tls"
	"net"
	"net/http"
	"strconv"

	"github.com/dop251/goja"
	"github.com/tidwall/gjson"
)

// k6ResponseKeys are the enumerable fields of a response in k6's dialect.
var k6ResponseKeys = []string{"remote_ip", "remote_port", "url", "status", "status_text", "proto", "headers", "cookies",
	"body", "timings", "tls_version", "tls_cipher_suite", "ocsp", "error", "error_code", "request"}

// k6Get reads the fields k6's dialect names its own way, the response's extra
// methods, and hides jsload's names that k6 spells otherwise.
func (r *response) k6Get(key string) (goja.Value, bool) {
	rt, res := r.m.rt, r.res
	if fn, ok := r.m.dialect.Methods[key]; ok {
		return fn, true
	}
	switch key {
	case "statusText", "errorCode":
		return nil, true
	case "status_text":
		return rt.ToValue(res.line), true // k6 gives the whole status line, "200 OK"
	case "error_code":
		if res.code == 0 && res.status >= 400 {
			return rt.ToValue(1000 + res.status), true // k6's code of an HTTP error status
		}
		return rt.ToValue(res.code), true
	case "remote_ip", "remote_port":
		addr := ""
		if res.remote != nil {
			addr = res.remote.String()
		}
		host, port, _ := net.SplitHostPort(addr)
		if key == "remote_ip" {
			return rt.ToValue(host), true
		}
		n, _ := strconv.Atoi(port)
		return rt.ToValue(n), true
	case "tls_version", "tls_cipher_suite":
		return rt.ToValue(tlsField(res.tls, key)), true
	case "ocsp":
		o := rt.NewObject()
		_ = o.Set("status", "unknown") // jsload does not staple OCSP
		return o, true
	case "cookies":
		if r.cookies == nil {
			var h http.Header
			if res.resp != nil {
				h = res.resp.Header()
			}
			r.cookies = responseCookies(rt, h)
		}
		return r.cookies, true
	case "request":
		if r.request == nil {
			r.request = k6Request(rt, res)
		}
		return r.request, true
	}
	return nil, false
}

// k6Select is res.json(selector) in k6's dialect: the value at a gjson path
// (items.0.id, items.#.id, items.#(id==2).name), undefined when there is none or
// the body is not JSON; without a body it throws, as json() does.
func (r *response) k6Select(path string) goja.Value {
	res := r.res
	if res.status == 0 || res.req.respType == respNone {
		r.parseJSON() // throws: there is no body, as in k6
	}
	body := res.binary
	if res.req.respType != respBinary {
		body = []byte(res.text)
	}
	if !gjson.ValidBytes(body) {
		return goja.Undefined()
	}
	v := gjson.GetBytes(body, path)
	if !v.Exists() {
		return goja.Undefined()
	}
	parsed, err := r.m.parse(goja.Undefined(), r.m.rt.ToValue(v.Raw)) // keeps the order of keys
	if err != nil {
		return goja.Undefined()
	}
	return parsed
}

// tlsField is the response's tls_version (tls1.3, as k6's http.TLS_1_3) or
// tls_cipher_suite, "" without TLS.
func tlsField(c *tls.Conn, key string) string {
	if c == nil {
		return ""
	}
	cs := c.ConnectionState() // asked for only here: a response keeps the connection, not a copy of its state
	if key == "tls_cipher_suite" {
		return tls.CipherSuiteName(cs.CipherSuite)
	}
	switch cs.Version {
	case tls.VersionTLS10:
		return "tls1.0"
	case tls.VersionTLS11:
		return "tls1.1"
	case tls.VersionTLS12:
		return "tls1.2"
	case tls.VersionTLS13:
		return "tls1.3"
	}
	return ""
}

// responseCookies is k6's res.cookies: the cookies the response sets, by name,
// each an array of { name, value, domain, path, http_only, secure, max_age,
// expires } (expires in ms since the epoch, 0 when not set).
func responseCookies(rt *goja.Runtime, h http.Header) *goja.Object {
	o := rt.NewObject()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		arr, _ := o.Get(c.Name).(*goja.Object)
		if arr == nil {
			arr = rt.NewArray()
			_ = o.Set(c.Name, arr)
		}
		var expires int64
		if !c.Expires.IsZero() {
			expires = c.Expires.UnixMilli()
		}
		item := rt.NewObject()
		for _, kv := range []struct {
			k string
			v any
		}{{"name", c.Name}, {"value", c.Value}, {"domain", c.Domain}, {"path", c.Path}, {"http_only", c.HttpOnly},
			{"secure", c.Secure}, {"max_age", c.MaxAge}, {"expires", expires}} {
			_ = item.Set(kv.k, kv.v)
		}
		_ = arr.Set(strconv.FormatInt(arr.Get("length").ToInteger(), 10), item)
	}
	return o
}

// k6Request is k6's res.request: method, url, headers (arrays of values by
// name), body and the cookies sent.
func k6Request(rt *goja.Runtime, res *result) *goja.Object {
	o := rt.NewObject()
	_ = o.Set("method", res.method)
	_ = o.Set("url", res.url)
	headers := rt.NewObject()
	for k, vs := range res.req.header {
		_ = headers.Set(k, append([]string(nil), vs...))
	}
	_ = o.Set("headers", headers)
	_ = o.Set("body", res.req.body)
	cookies := rt.NewObject()
	for _, c := range res.req.cookies {
		item := rt.NewObject()
		_ = item.Set("name", c.name)
		_ = item.Set("value", c.value)
		_ = item.Set("replace", c.replace)
		_ = cookies.Set(c.name, rt.NewArray(item))
	}
	_ = o.Set("cookies", cookies)
	return o
}
