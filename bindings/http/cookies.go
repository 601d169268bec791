package http

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// cookieJar is one cookie jar: the VU's, which its runtimes share and a new
// browser empties (vuState.newBrowser), or one a script made with
// new CookieJar(), which only the script empties. Safe for concurrent use.
//
// The cookies themselves are in a net/http/cookiejar.Jar (RFC 6265 matching of
// domains, paths, expiry and secure cookies). It has no way to empty it, so
// clear swaps in new contents: a request running meanwhile (a background
// script's) uses the old or the new ones, whole.
type cookieJar struct {
	cur atomic.Pointer[jarContents]
}

// jarContents are a jar's cookies.
type jarContents struct {
	jar  *cookiejar.Jar
	used atomic.Bool // a cookie was stored: look the jar up from now on (APIs often set none)
}

func newCookieJar() *cookieJar {
	j := &cookieJar{}
	j.cur.Store(newJarContents())
	return j
}

func newJarContents() *jarContents {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &jarContents{jar: jar}
}

// cookies returns the cookies to send to u.
func (j *cookieJar) cookies(u *url.URL) []*http.Cookie {
	c := j.cur.Load()
	if !c.used.Load() {
		return nil
	}
	return c.jar.Cookies(u)
}

// setCookies stores the cookies a response from u set (or a script).
func (j *cookieJar) setCookies(u *url.URL, cs []*http.Cookie) {
	c := j.cur.Load()
	c.jar.SetCookies(u, cs)
	c.used.Store(true)
}

// clear empties the jar. An empty jar stays as it is: nothing is allocated.
func (j *cookieJar) clear() {
	if c := j.cur.Load(); c.used.Load() {
		j.cur.CompareAndSwap(c, newJarContents()) // lost to another clear: emptied as well
	}
}

// remove deletes the cookies u is sent that are named name, or all of them
// when name is "". cookiejar deletes a cookie by its domain, path and name,
// which Cookies does not tell: the cookies u is sent have u's host or a parent
// domain of it, and a path that path-matches u's, so each name is expired
// under every such domain and path.
func (j *cookieJar) remove(u *url.URL, name string) {
	var names []string
	for _, ck := range j.cookies(u) {
		if (name == "" || ck.Name == name) && !slices.Contains(names, ck.Name) {
			names = append(names, ck.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	var gone []*http.Cookie
	for _, domain := range parentDomains(u.Hostname()) {
		for _, path := range pathPrefixes(u.Path) {
			for _, n := range names {
				gone = append(gone, &http.Cookie{Name: n, Domain: domain, Path: path, MaxAge: -1})
			}
		}
	}
	j.setCookies(u, gone)
}

// parentDomains lists "" (host itself) and the parent domains of host
// ("shop.example.com" → "example.com", "com"); none for an IP address.
func parentDomains(host string) []string {
	out := []string{""}
	if strings.ContainsRune(host, ':') || strings.Trim(host, "0123456789.") == "" {
		return out
	}
	for i := strings.IndexByte(host, '.'); i >= 0; i = strings.IndexByte(host, '.') {
		host = host[i+1:]
		out = append(out, host)
	}
	return out
}

// pathPrefixes lists the cookie paths that path-match path (RFC 6265 5.1.4):
// "/a/b" → "/", "/a", "/a/", "/a/b".
func pathPrefixes(path string) []string {
	out := []string{"/"}
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			out = append(out, path[:i], path[:i+1])
		}
	}
	if len(path) > 1 && path[len(path)-1] != '/' {
		out = append(out, path)
	}
	return out
}

// reqCookie is one cookie of params.cookies: sent with the request (and its
// redirects to the same host or a subdomain, as a Cookie header is), stored in
// no jar. replace leaves out the jar's cookies of the same name.
type reqCookie struct {
	name, value string
	replace     bool
}

// withCookies returns header with the request's own cookies, then the jar's
// for u, added to its Cookie header, in a copy: header itself when there are
// none.
func withCookies(header http.Header, jar *cookieJar, u *url.URL, own []reqCookie) http.Header {
	stored := jar.cookies(u)
	if len(stored) == 0 && len(own) == 0 {
		return header
	}
	header = header.Clone()
	c := &http.Request{Header: header}
	for _, ck := range own {
		c.AddCookie(&http.Cookie{Name: ck.name, Value: ck.value})
	}
	for _, ck := range stored {
		if !slices.ContainsFunc(own, func(o reqCookie) bool { return o.replace && o.name == ck.Name }) {
			c.AddCookie(ck)
		}
	}
	return header
}

const cookiesHint = "want an object of cookie names and values, e.g. { session: 'abc' } or { session: { value: 'abc', replace: true } }"

// parseCookies reads params.cookies.
func parseCookies(v goja.Value) ([]reqCookie, error) {
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() != "Object" {
		return nil, fmt.Errorf("%s, got %s", cookiesHint, v)
	}
	var out []reqCookie
	for _, k := range obj.Keys() {
		val := obj.Get(k)
		if bindings.IsNullish(val) {
			continue
		}
		c := reqCookie{name: k, value: val.String()}
		if o, ok := val.(*goja.Object); ok && o.ClassName() == "Object" {
			for _, key := range o.Keys() {
				if key != "value" && key != "replace" {
					return nil, fmt.Errorf("cookie %q: unknown key %q: a cookie is a value or { value, replace }", k, key)
				}
			}
			c.value = ""
			if value := o.Get("value"); !bindings.IsNullish(value) {
				c.value = value.String()
			}
			c.replace = o.Get("replace") != nil && o.Get("replace").ToBoolean()
		}
		if err := (&http.Cookie{Name: c.name, Value: c.value}).Valid(); err != nil {
			return nil, fmt.Errorf("cookie %q: %w", k, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// jarObject is a CookieJar as scripts see it: http.cookieJar(), the VU's jar,
// or new http.CookieJar(), a jar of the script's own (pass it as params.jar).
// Its methods run on the goroutine of the runtime that made it; the jar itself
// may be shared.
type jarObject struct {
	m *module
	j *cookieJar
}

// cookieJar implements http.cookieJar(): the VU's jar, one object per runtime.
func (m *module) cookieJar(goja.FunctionCall) goja.Value {
	if m.vuJar == nil {
		m.vuJar = m.rt.ToValue(&jarObject{m: m, j: m.vu.jar})
	}
	return m.vuJar
}

// newCookieJarObject implements new http.CookieJar(): an empty jar.
func (m *module) newCookieJarObject(goja.ConstructorCall) *goja.Object {
	return m.rt.ToValue(&jarObject{m: m, j: newCookieJar()}).(*goja.Object)
}

// jarOf returns the jar of a params.jar value.
func jarOf(v goja.Value) (*cookieJar, error) {
	if o, ok := v.Export().(*jarObject); ok {
		return o.j, nil
	}
	return nil, fmt.Errorf("want a CookieJar (http.cookieJar() or new http.CookieJar()), got %s", v)
}

// url reads the URL argument of the method fn.
func (o *jarObject) url(fn string, v goja.Value) *url.URL {
	if bindings.IsNullish(v) {
		o.m.throw(fmt.Errorf("CookieJar.%s: missing URL: pass the URL the cookies are for", fn))
	}
	u, err := o.m.urls.parse(v.String())
	if err != nil {
		o.m.throw(fmt.Errorf("CookieJar.%s: %w", fn, err))
	}
	return u
}

// CookiesForURL implements cookiesForURL(url): the cookies a request to url
// sends, as { name: [value, ...] }.
func (o *jarObject) CookiesForURL(c goja.FunctionCall) goja.Value {
	rt := o.m.rt
	out := rt.NewObject()
	byName := map[string][]any{}
	var order []string
	for _, ck := range o.j.cookies(o.url("cookiesForURL", c.Argument(0))) {
		if _, ok := byName[ck.Name]; !ok {
			order = append(order, ck.Name)
		}
		byName[ck.Name] = append(byName[ck.Name], ck.Value)
	}
	for _, name := range order {
		_ = out.Set(name, rt.NewArray(byName[name]...))
	}
	return out
}

// Set implements set(url, name, value[, options]): stores a cookie as if a
// response from url had set it.
func (o *jarObject) Set(c goja.FunctionCall) goja.Value {
	u := o.url("set", c.Argument(0))
	if bindings.IsNullish(c.Argument(1)) || bindings.IsNullish(c.Argument(2)) {
		o.m.throw(fmt.Errorf("CookieJar.set: missing cookie name or value: write set(url, name, value[, options])"))
	}
	ck := &http.Cookie{Name: c.Argument(1).String(), Value: c.Argument(2).String()}
	if err := cookieOptions(ck, c.Argument(3)); err != nil {
		o.m.throw(fmt.Errorf("CookieJar.set(%q): %w", ck.Name, err))
	}
	if err := ck.Valid(); err != nil {
		o.m.throw(fmt.Errorf("CookieJar.set(%q): %w", ck.Name, err))
	}
	o.j.setCookies(u, []*http.Cookie{ck})
	return goja.Undefined()
}

// Delete implements delete(url, name): the cookie name is no longer sent to url.
func (o *jarObject) Delete(c goja.FunctionCall) goja.Value {
	u := o.url("delete", c.Argument(0))
	if bindings.IsNullish(c.Argument(1)) {
		o.m.throw(fmt.Errorf("CookieJar.delete: missing cookie name: write delete(url, name)"))
	}
	o.j.remove(u, c.Argument(1).String())
	return goja.Undefined()
}

// Clear implements clear([url]): without a URL it empties the jar (what a new
// browser does to the VU's); with one it deletes the cookies sent to url.
func (o *jarObject) Clear(c goja.FunctionCall) goja.Value {
	if bindings.IsNullish(c.Argument(0)) {
		o.j.clear()
	} else {
		o.j.remove(o.url("clear", c.Argument(0)), "")
	}
	return goja.Undefined()
}

// cookieOptionNames are the options of set, by k6's names too.
const cookieOptionNames = "domain, path, expires, maxAge, secure, httpOnly"

// cookieOptions applies the options of set(url, name, value, options) to ck.
func cookieOptions(ck *http.Cookie, v goja.Value) error {
	if bindings.IsNullish(v) {
		return nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return fmt.Errorf("options must be an object with %s, got %s", cookieOptionNames, v)
	}
	for _, k := range obj.Keys() {
		val := obj.Get(k)
		if bindings.IsNullish(val) {
			continue
		}
		switch k {
		case "domain":
			ck.Domain = val.String()
		case "path":
			ck.Path = val.String()
		case "expires":
			t, ok := val.Export().(time.Time)
			if !ok {
				var err error
				if t, err = http.ParseTime(val.String()); err != nil {
					return fmt.Errorf("expires: %q is not a date: write a Date or 'Mon, 02 Jan 2006 15:04:05 GMT'", val)
				}
			}
			ck.Expires = t
		case "maxAge", "max_age":
			n := val.ToFloat()
			if n != n || n != float64(int(n)) {
				return fmt.Errorf("%s: want whole seconds, got %s", k, val)
			}
			ck.MaxAge = int(n)
			if n <= 0 {
				ck.MaxAge = -1 // expired now
			}
		case "secure":
			ck.Secure = val.ToBoolean()
		case "httpOnly", "http_only":
			ck.HttpOnly = val.ToBoolean()
		default:
			return fmt.Errorf("unknown option %q: the options are %s", k, cookieOptionNames)
		}
	}
	return nil
}
