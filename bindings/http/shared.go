package http

import (
	"crypto/tls"
	"net/http"
	"net/url"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// VUSettings are what a VU's other protocols (WebSocket and Server-Sent Events
// handshakes) take from its HTTP client: the cookie jar its requests use, the
// test's HTTP options (hosts, TLS versions and ciphers, userAgent) and the
// defaults set with setDefaults.
type VUSettings struct {
	// Jar is the VU's cookie jar, shared with its HTTP requests both ways: a
	// cookie a handshake's response sets is sent by the next request. Safe for
	// concurrent use.
	Jar http.CookieJar
	// Header holds the default request headers (User-Agent, and those of
	// setDefaults); a copy the caller may change.
	Header http.Header
	// InsecureSkipTLSVerify is setDefaults' (or options') insecureSkipTLSVerify.
	InsecureSkipTLSVerify bool
	// TLS holds options.tlsVersion and options.tlsCipherSuites: a new config
	// the caller may change.
	TLS *tls.Config
	// Resolve maps a host:port to dial to the address options.hosts gives it;
	// nil without options.hosts.
	Resolve func(hostport string) string
}

// Settings returns the HTTP settings of the VU of h, shared by its runtimes.
func Settings(h bindings.Host) VUSettings {
	s := h.VULocal(stateKey{}, func() any { return newVUState() }).(*vuState)
	o := &h.TestOptions().HTTP
	s.configure(o)
	d := s.defaults.Load()
	return VUSettings{Jar: sharedJar{s.jar}, Header: d.header.Clone(), InsecureSkipTLSVerify: d.insecure,
		TLS:     &tls.Config{MinVersion: o.TLSMinVersion, MaxVersion: o.TLSMaxVersion, CipherSuites: o.TLSCipherSuites},
		Resolve: hostsResolver(o.Hosts)}
}

// Jar returns the cookie jar of a params.jar value (http.cookieJar(), or a
// new http.CookieJar()), for a handshake to use instead of the VU's.
func Jar(v goja.Value) (http.CookieJar, error) {
	j, err := jarOf(v)
	if err != nil {
		return nil, err
	}
	return sharedJar{j}, nil
}

// sharedJar is a jsload cookie jar as net/http.CookieJar.
type sharedJar struct{ j *cookieJar }

func (s sharedJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	if len(cookies) > 0 {
		s.j.setCookies(u, cookies)
	}
}

func (s sharedJar) Cookies(u *url.URL) []*http.Cookie { return s.j.cookies(u) }
