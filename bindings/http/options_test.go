package http

import (
	"testing"

	"github.com/jsload/jsload/bindings"
)

// TestHostsResolver checks options.hosts' lookup as k6 documents it: an exact
// host:port, then the host, then the longest "*." domain; an address without a
// port keeps the request's.
func TestHostsResolver(t *testing.T) {
	t.Parallel()
	resolve := hostsResolver(map[string]string{
		"shop.test": "127.0.0.1", "shop.test:8443": "127.0.0.2:9443", "*.cdn.test": "127.0.0.3",
		"*.eu.cdn.test": "127.0.0.4:81", "*.api.test:443": "[::1]",
	})
	for in, want := range map[string]string{
		"shop.test:80":        "127.0.0.1:80",
		"shop.test:8443":      "127.0.0.2:9443",
		"img.cdn.test:80":     "127.0.0.3:80",
		"a.eu.cdn.test:80":    "127.0.0.4:81",
		"cdn.test:80":         "cdn.test:80", // *.cdn.test is the subdomains only
		"x.api.test:443":      "[::1]:443",
		"x.api.test:80":       "x.api.test:80",
		"other.test:80":       "other.test:80",
		"notahostport":        "notahostport",
		"SHOP.TEST:80":        "127.0.0.1:80",
		"deep.img.cdn.test:1": "127.0.0.3:1",
	} {
		if got := resolve(in); got != want {
			t.Errorf("resolve(%q) = %q, want %q", in, got, want)
		}
	}
	if hostsResolver(nil) != nil {
		t.Error("no hosts: want no resolver")
	}
}

// TestOptionDefaults checks the defaults the options make.
func TestOptionDefaults(t *testing.T) {
	t.Parallel()
	two, none := int64(2), ""
	d := optionDefaults(&bindings.HTTPOptions{MaxRedirects: &two, UserAgent: &none, DiscardResponseBodies: true, Throw: true})
	if d.redirects != 2 || d.respType != respNone || !d.throw || d.header.Get("User-Agent") != "" || baseHeader.Get("User-Agent") != userAgent {
		t.Errorf("defaults %+v (the base header must stay untouched)", d)
	}
	if d := optionDefaults(&bindings.HTTPOptions{}); d.redirects != defaultRedirects || d.header.Get("User-Agent") != userAgent {
		t.Errorf("zero options: defaults %+v, want the built-in ones", d)
	}
}
