package http

import (
	"fmt"
	"slices"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Dialect is how a module speaks to scripts: jsload's own names (the zero value,
// jsload/http), or k6's (k6/http, built by bindings/k6/k6http over this package).
type Dialect struct {
	// K6 gives responses k6's field names (status_text, error_code, remote_ip,
	// timings.tls_handshaking, ...) and their cookies; takes k6's params
	// compression and responseCallback; and tags every sample
	// with expected_response, which also decides http_req_failed: true when
	// the response callback accepts the status (200 to 399 unless the script
	// sets another), no http_req_failed sample when the callback is null.
	K6 bool
	// Methods are more methods of every response, called with the response as
	// this (k6/http's html, submitForm, clickLink).
	Methods map[string]goja.Value
}

// Client is one HTTP module of one runtime, for the packages that build a
// module of their own over this one (k6/http). It belongs to the runtime's
// goroutine.
type Client struct{ m *module }

// NewModule builds an HTTP module in dialect d for h's runtime: its exports
// (Client.Exports) are those of jsload/http, named and extended as d says.
func NewModule(h bindings.Host, d Dialect) *Client {
	m := newModule(h)
	m.dialect = d
	if d.K6 {
		m.expect = DefaultExpectedStatuses
		m.respKeys = k6ResponseKeys
	}
	return &Client{m: m}
}

// Exports is the module's exports object.
func (c *Client) Exports() *goja.Object { return c.m.exports }

// SetResponseCallback sets which statuses are expected for the module's later
// requests (k6's setResponseCallback); nil expects none and records no
// http_req_failed.
func (c *Client) SetResponseCallback(e *ExpectedStatuses) { c.m.expect = e }

// ExpectedStatuses is a response callback of k6's http.expectedStatuses: the
// statuses listed or within one of the ranges are expected. It is never
// changed once made, so requests may share it.
type ExpectedStatuses struct {
	exact  []int
	ranges [][2]int
}

// DefaultExpectedStatuses expects 200 to 399, as k6 does.
var DefaultExpectedStatuses = &ExpectedStatuses{ranges: [][2]int{{200, 399}}}

// NewExpectedStatuses returns a callback expecting the exact statuses and the
// inclusive ranges.
func NewExpectedStatuses(exact []int, ranges [][2]int) *ExpectedStatuses {
	return &ExpectedStatuses{exact: slices.Clone(exact), ranges: slices.Clone(ranges)}
}

// Match reports whether status is expected.
func (e *ExpectedStatuses) Match(status int) bool {
	if slices.Contains(e.exact, status) {
		return true
	}
	for _, r := range e.ranges {
		if r[0] <= status && status <= r[1] {
			return true
		}
	}
	return false
}

// File is a file part of a multipart body (k6's http.file): an object body
// whose values include one is sent as multipart/form-data.
type File struct {
	Data        []byte `js:"-"`
	Filename    string `js:"filename"`
	ContentType string `js:"content_type"`
}

// NamedURL is a URL with the name its samples are tagged with (k6's http.url
// tagged template: the name is the template with ${} for each value).
type NamedURL struct {
	URL  string `js:"url"`
	Name string `js:"name"`
}

// String implements fmt.Stringer: the URL, as scripts print it.
func (u *NamedURL) String() string { return u.URL }

// errNoK6Param is the error of a k6 param given to jsload/http.
func errNoK6Param(key string) error {
	return fmt.Errorf("unknown param %q: it is a param of k6/http (import http from 'k6/http'); jsload/http's params are %s", key, paramNames)
}
