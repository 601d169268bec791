package http

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

const (
	defaultTimeout   = 60 * time.Second
	defaultRedirects = 10
	userAgent        = "jsload/1 (+https://github.com/jsload/jsload)"
)

// responseType says what becomes of a response body.
type responseType uint8

const (
	respText   responseType = iota // body is a string
	respBinary                     // body is an ArrayBuffer
	respNone                       // body is read and discarded; null
)

// baseHeader is the header of a request that sets none. Header maps are shared
// until changed (see request.ownHeader): no one may modify one in place.
var baseHeader = http.Header{"User-Agent": {userAgent}, "Accept-Encoding": {defaultAcceptEncoding}}

// defaults are the params a request starts from: the built-in ones, or those a
// script set for its VU with setDefaults. A *defaults is never modified once
// stored, so every runtime of the VU may read it.
type defaults struct {
	header    http.Header // baseHeader and the default headers
	timeout   time.Duration
	redirects int
	respType  responseType
	throw     bool
	insecure  bool
	maxBody   int64 // 0: options.maxResponseBodySize, else defaultMaxBodySize
}

// request is one HTTP request as a script described it, converted on the runtime's
// goroutine into plain Go: it may be sent from another goroutine (batch).
type request struct {
	method  string
	rawURL  string // as written (credentials redacted): the url tag
	url     *url.URL
	header  http.Header // shared with the defaults until owned (see ownHeader)
	owned   bool
	host    string // a Host header the script set, or ""
	body    string
	hasBody bool

	base   metrics.Tags // the runtime's tags when the request was made (k6's group() changes them)
	name   string       // params.tags.name, or ""
	tagKey string       // the other params.tags encoded, for the tag cache
	tagKV  []string     // the other params.tags as key, value, ...

	timeout   time.Duration // 0: none
	redirects int
	respType  responseType
	dropped   bool // the script drops the response (bindings.DroppedCalls): its body is read as respType says, and not kept
	throw     bool
	insecure  bool
	maxBody   int64 // the body limit, resolved by newRequest
	digest    *credentials
	sizeHint  int         // the size of this URL's last body of unknown size (see readUnsized)
	jar       *cookieJar  // params.jar; nil: the VU's
	cookies   []reqCookie // params.cookies

	expect *ExpectedStatuses // k6's dialect: which statuses are expected; nil: none
}

// credentials are the user and password of auth: 'digest'.
type credentials struct{ user, password string }

const paramNames = "headers, tags, timeout, redirects, responseType, maxResponseBodySize, auth, cookies, jar, throw, insecureSkipTLSVerify"

// newRequest converts the arguments of one call into r; an error means the script
// is wrong (bad URL, unknown param) and is thrown.
func (m *module) newRequest(r *request, method string, urlV, bodyV, paramsV goja.Value) error {
	if bindings.IsNullish(urlV) {
		return errors.New("missing URL: pass the URL to request as a string")
	}
	raw, name := urlV.String(), ""
	if obj, isObj := urlV.(*goja.Object); isObj { // strings, the common case, are no objects
		if nu, ok := obj.Export().(*NamedURL); ok {
			raw, name = nu.URL, nu.Name
		}
	}
	u, err := m.urls.parse(raw)
	if err != nil {
		return err
	}
	m.vu.configure(&m.h.TestOptions().HTTP)
	d := m.vu.defaults.Load()
	*r = request{method: method, rawURL: raw, url: u, header: d.header, timeout: d.timeout, name: name, base: m.h.Tags(),
		redirects: d.redirects, respType: d.respType, throw: d.throw, insecure: d.insecure, maxBody: d.maxBody, expect: m.expect,
		sizeHint: m.sizes[raw]}
	contentType := ""
	if !bindings.IsNullish(bodyV) {
		r.hasBody = true
		if r.body, contentType, err = m.bodyString(bodyV); err != nil {
			return err
		}
	}
	if !bindings.IsNullish(paramsV) {
		if err := m.parseParams(r, paramsV, false); err != nil {
			return err
		}
	}
	if u.User != nil {
		r.rawURL = u.Redacted()
		pw, _ := u.User.Password()
		switch {
		case r.digest != nil && r.digest.user == "":
			r.digest = &credentials{u.User.Username(), pw}
		case r.digest == nil && r.header.Get("Authorization") == "": // credentials in the URL mean basic auth, as in browsers
			setBasicAuth(r.ownHeader(), u.User.Username(), pw)
		}
	}
	if r.maxBody == 0 {
		r.maxBody = cmp.Or(m.h.TestOptions().MaxResponseBodySize, defaultMaxBodySize)
	}
	if _, ranged := r.header["Range"]; ranged && isDefaultAcceptEncoding(r.header) {
		delete(r.ownHeader(), "Accept-Encoding") // a range of the encoded body is of no use to the script
	}
	if contentType != "" && r.header.Get("Content-Type") == "" {
		r.ownHeader().Set("Content-Type", contentType)
	}
	return nil
}

// ownHeader returns r's header map, copied first if it is shared.
func (r *request) ownHeader() http.Header {
	if !r.owned {
		r.header, r.owned = r.header.Clone(), true
	}
	return r.header
}

// parseParams applies a params object to r. For setDefaults (forDefaults), tags
// and auth are refused: they describe one request.
func (m *module) parseParams(r *request, v goja.Value, forDefaults bool) error {
	obj, ok := v.(*goja.Object)
	if !ok {
		return fmt.Errorf("params must be an object such as { headers: {...}, tags: {...} }, got %s", v)
	}
	for _, key := range obj.Keys() {
		val := obj.Get(key)
		if bindings.IsNullish(val) {
			continue
		}
		var err error
		switch key {
		case "headers":
			err = r.parseHeaders(val)
		case "tags":
			if forDefaults {
				return errors.New("setDefaults: tags are set per request")
			}
			err = r.parseTags(val)
		case "timeout":
			r.timeout, err = bindings.ParseTimeout(val)
		case "redirects":
			n := val.ToFloat()
			if n < 0 || n != n || n > 1000 {
				return fmt.Errorf("invalid redirects %s: want the number of redirects to follow, 0 to 1000", val)
			}
			r.redirects = int(n)
		case "responseType":
			switch val.String() {
			case "text":
				r.respType = respText
			case "binary":
				r.respType = respBinary
			case "none":
				r.respType = respNone
			default:
				return fmt.Errorf("invalid responseType %q: want 'text', 'binary' or 'none'", val)
			}
		case "maxResponseBodySize":
			r.maxBody, err = bindings.ParseSize(val.Export())
		case "auth":
			if forDefaults {
				return errors.New("setDefaults: auth is set per request (or put an Authorization header in the default headers)")
			}
			err = r.parseAuth(val)
		case "cookies", "jar":
			if forDefaults {
				return fmt.Errorf("setDefaults: %s is set per request (the VU's jar is http.cookieJar())", key)
			}
			if key == "cookies" {
				r.cookies, err = parseCookies(val)
			} else {
				r.jar, err = jarOf(val)
			}
		case "throw":
			r.throw = val.ToBoolean()
		case "insecureSkipTLSVerify":
			r.insecure = val.ToBoolean()
		case "compression", "responseCallback":
			if !m.dialect.K6 {
				return errNoK6Param(key)
			}
			if forDefaults {
				return fmt.Errorf("setDefaults: %s is set per request", key)
			}
			err = r.parseK6Param(key, val)
		default:
			return fmt.Errorf("unknown param %q: known params are %s", key, paramNames)
		}
		if err != nil {
			return fmt.Errorf("param %s: %w", key, err)
		}
	}
	return nil
}

// parseHeaders sets the headers of object v into r (see bindings.EachHeader).
// Host sets the request's host.
func (r *request) parseHeaders(v goja.Value) error {
	return bindings.EachHeader(v, func(name string, values []string) error {
		if name == "Host" {
			r.host = strings.Join(values, ",")
		} else {
			r.ownHeader()[name] = values
		}
		return nil
	})
}

// parseTags reads params.tags: name apart, the others encoded for the tag cache.
func (r *request) parseTags(v goja.Value) error {
	obj, ok := v.(*goja.Object)
	if !ok {
		return fmt.Errorf("want an object of tag names and values, got %s", v)
	}
	var key strings.Builder
	for _, k := range obj.Keys() {
		val := obj.Get(k).String()
		if k == "name" {
			r.name = val
			continue
		}
		r.tagKV = append(r.tagKV, k, val)
		key.WriteString(k)
		key.WriteByte(0x1f)
		key.WriteString(val)
		key.WriteByte(0x1e)
	}
	r.tagKey = key.String()
	return nil
}

// parseAuth reads params.auth: 'basic' or 'digest' (credentials from the URL),
// or { username, password[, scheme: 'basic' | 'digest'] }.
func (r *request) parseAuth(v goja.Value) error {
	if obj, ok := v.(*goja.Object); ok {
		user, pass, scheme := obj.Get("username"), obj.Get("password"), obj.Get("scheme")
		if bindings.IsNullish(user) {
			return errors.New("want { username, password } (and scheme: 'digest' for digest authentication)")
		}
		pw := ""
		if !bindings.IsNullish(pass) {
			pw = pass.String()
		}
		switch s := "basic"; {
		case !bindings.IsNullish(scheme) && scheme.String() == "digest":
			r.digest = &credentials{user.String(), pw}
		case bindings.IsNullish(scheme) || scheme.String() == s:
			setBasicAuth(r.ownHeader(), user.String(), pw)
		default:
			return fmt.Errorf("unsupported scheme %q: want 'basic' or 'digest'", scheme)
		}
		return nil
	}
	switch s := v.String(); s {
	case "basic", "digest":
		if r.url.User == nil {
			return fmt.Errorf("'%s' takes the credentials from the URL, but %s has none: write https://user:password@host/... or pass { username, password, scheme: '%s' }", s, r.rawURL, s)
		}
		if s == "digest" {
			r.digest = &credentials{} // newRequest takes them from the URL
		}
		return nil // newRequest sets the basic header from the URL
	default:
		return fmt.Errorf("unsupported auth %q: want 'basic', 'digest' or { username, password, scheme }", s)
	}
}

// isDefaultAcceptEncoding reports whether h's Accept-Encoding is the default
// one (the script may have set the same: a Range then goes without it too).
func isDefaultAcceptEncoding(h http.Header) bool {
	ae := h["Accept-Encoding"]
	return len(ae) == 1 && ae[0] == defaultAcceptEncoding
}

func setBasicAuth(h http.Header, user, password string) {
	h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
}

var (
	arrayBufferType = reflect.TypeFor[goja.ArrayBuffer]()
	bodyHint        = "a body is a string (JSON.stringify it for JSON), an object of form fields, or an ArrayBuffer or typed array"
)

// bodyString converts a request body: a string as it is, a plain object as form
// fields (the content type is then form-urlencoded, or multipart/form-data when a
// field is a File), an ArrayBuffer, typed array or DataView as its bytes (copied:
// the script may change them while the request is sent).
func (m *module) bodyString(v goja.Value) (s string, contentType string, err error) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return v.String(), "", nil // strings, numbers, booleans
	}
	typ := obj.ExportType()
	switch {
	case typ == arrayBufferType:
		return string(obj.Export().(goja.ArrayBuffer).Bytes()), "", nil
	case typ != nil && typ.Kind() == reflect.Slice && typ.Elem().Kind() != reflect.Interface,
		m.dataView != nil && m.rt.InstanceOf(obj, m.dataView):
		var b []byte
		if err := m.rt.ExportTo(obj, &b); err != nil {
			return "", "", fmt.Errorf("body: %w", err)
		}
		return string(b), "", nil
	}
	switch obj.ClassName() {
	case "Object":
		if hasFile(obj) {
			return multipartBody(obj)
		}
		return formEncode(obj), "application/x-www-form-urlencoded", nil
	case "String":
		return obj.String(), "", nil
	}
	return "", "", fmt.Errorf("unsupported body (%s): %s", obj.ClassName(), bodyHint)
}

// formEncode encodes an object's fields in their order; array values repeat the
// field.
func formEncode(obj *goja.Object) string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	for _, k := range obj.Keys() {
		val := obj.Get(k)
		if arr, ok := val.(*goja.Object); ok && arr.ClassName() == "Array" {
			for _, i := range arr.Keys() {
				add(k, arr.Get(i).String())
			}
			continue
		}
		if bindings.IsNullish(val) {
			add(k, "")
			continue
		}
		add(k, val.String())
	}
	return b.String()
}

// newDefaults converts the argument of setDefaults.
func (m *module) newDefaults(v goja.Value) (*defaults, error) {
	b := m.vu.configure(&m.h.TestOptions().HTTP)
	r := &request{timeout: b.timeout, redirects: b.redirects, header: b.header, respType: b.respType,
		throw: b.throw, insecure: b.insecure}
	if !bindings.IsNullish(v) {
		if err := m.parseParams(r, v, true); err != nil {
			return nil, err
		}
	}
	return &defaults{header: r.header, timeout: r.timeout, redirects: r.redirects, respType: r.respType,
		throw: r.throw, insecure: r.insecure, maxBody: r.maxBody}, nil
}

// maxCachedURLs bounds a runtime's cache of parsed URLs.
const maxCachedURLs = 256

// urlCache remembers the URLs a runtime parsed: scripts request the same ones
// again and again. The *url.URL values are shared and never modified. It belongs
// to the runtime's goroutine.
type urlCache map[string]*url.URL

// parse returns raw parsed, checked to be an absolute http(s) URL.
func (c *urlCache) parse(raw string) (*url.URL, error) {
	if u, ok := (*c)[raw]; ok {
		return u, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid URL %q: %w", raw, errors.Unwrap(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid URL %q: write an absolute http:// or https:// URL", raw)
	}
	if *c == nil || len(*c) >= maxCachedURLs {
		*c = urlCache{}
	}
	(*c)[raw] = u
	return u, nil
}
