package k6http

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// Jar is a k6 CookieJar: the VU's (http.cookieJar()) or one of the script's own
// (new http.CookieJar()), which a request uses with params.jar. Its methods are
// k6's; it belongs to its runtime's goroutine, the jar itself is safe for
// concurrent use.
type Jar struct {
	rt  *goja.Runtime
	jar *cookiejar.Jar
}

// CookieJar implements httpbind.Jar.
func (j *Jar) CookieJar() *cookiejar.Jar { return j.jar }

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid URL %q: want an absolute http:// or https:// URL", raw)
	}
	return u, nil
}

// CookiesForURL returns the cookies the jar would send to url: the values of each
// name.
func (j *Jar) CookiesForURL(raw string) (map[string][]string, error) {
	u, err := parseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("cookiesForURL: %w", err)
	}
	out := map[string][]string{}
	for _, c := range j.jar.Cookies(u) {
		out[c.Name] = append(out[c.Name], c.Value)
	}
	return out, nil
}

// Set sets a cookie for url, with the options domain, path, expires (an RFC 1123
// date), max_age, secure and http_only.
func (j *Jar) Set(raw, name, value string, opts goja.Value) (bool, error) {
	u, err := parseURL(raw)
	if err != nil {
		return false, fmt.Errorf("set: %w", err)
	}
	c := &http.Cookie{Name: name, Value: value}
	if o, ok := opts.(*goja.Object); ok {
		for _, k := range o.Keys() {
			v := o.Get(k)
			switch strings.ToLower(k) {
			case "domain":
				c.Domain = v.String()
			case "path":
				c.Path = v.String()
			case "expires":
				if s := v.String(); s != "" {
					if c.Expires, err = time.Parse(time.RFC1123, s); err != nil {
						return false, fmt.Errorf("set: expires %q is not an RFC 1123 date such as %q", s, time.RFC1123)
					}
				}
			case "max_age":
				c.MaxAge = int(v.ToInteger())
			case "secure":
				c.Secure = v.ToBoolean()
			case "http_only":
				c.HttpOnly = v.ToBoolean()
			default:
				return false, fmt.Errorf("set: unknown option %q: want domain, path, expires, max_age, secure or http_only", k)
			}
		}
	}
	j.jar.SetCookies(u, []*http.Cookie{c})
	return true, nil
}

// Clear removes every cookie the jar would send to url.
func (j *Jar) Clear(raw string) error {
	u, err := parseURL(raw)
	if err != nil {
		return fmt.Errorf("clear: %w", err)
	}
	cookies := j.jar.Cookies(u)
	for _, c := range cookies {
		c.MaxAge = -1
	}
	j.jar.SetCookies(u, cookies)
	return nil
}

// Delete removes the cookie name for url.
func (j *Jar) Delete(raw, name string) error {
	if name == "" {
		return errors.New("delete: give the name of the cookie")
	}
	u, err := parseURL(raw)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	j.jar.SetCookies(u, []*http.Cookie{{Name: name, MaxAge: -1}})
	return nil
}
