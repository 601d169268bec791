package http

import (
	"net/http"
	"net/url"

	"github.com/jsload/jsload/bindings"
)

// VUSettings are what a VU's other protocols (WebSocket and Server-Sent Events
// handshakes) take from its HTTP client: the cookie jar its requests use and the
// defaults set with setDefaults.
type VUSettings struct {
	// Jar is the VU's cookie jar, shared with its HTTP requests both ways: a
	// cookie a handshake's response sets is sent by the next request. Safe for
	// concurrent use.
	Jar http.CookieJar
	// Header holds the default request headers (User-Agent, and those of
	// setDefaults); a copy the caller may change.
	Header http.Header
	// InsecureSkipTLSVerify is setDefaults' insecureSkipTLSVerify.
	InsecureSkipTLSVerify bool
}

// Settings returns the HTTP settings of the VU of h, shared by its runtimes.
func Settings(h bindings.Host) VUSettings {
	s := h.VULocal(stateKey{}, func() any { return newVUState() }).(*vuState)
	d := s.defaults.Load()
	return VUSettings{Jar: sharedJar{s}, Header: d.header.Clone(), InsecureSkipTLSVerify: d.insecure}
}

// sharedJar is the VU's cookie jar as other protocols see it: setting a cookie
// also turns on the jar lookups of the VU's HTTP requests (vuState.jarInUse).
type sharedJar struct{ s *vuState }

func (j sharedJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	if len(cookies) == 0 {
		return
	}
	j.s.jar.SetCookies(u, cookies)
	j.s.jarInUse.Store(true)
}

func (j sharedJar) Cookies(u *url.URL) []*http.Cookie { return j.s.jar.Cookies(u) }
