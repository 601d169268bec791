package h1

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Request is a request as Transport.Do sends it: what a caller that already
// holds its parts needs to say, without the http.Request (and its copy per
// context) that RoundTrip takes. Do does not modify it, nor its Header.
type Request struct {
	Method string
	URL    *url.URL    // an absolute http:// or https:// URL
	Host   string      // the Host header; "" for URL.Host
	Header http.Header // sent sorted by name; Host, Content-Length, Transfer-Encoding and Trailer are ignored
	// Body is sent with a Content-Length, when HasBody or when it is not
	// empty (a POST, PUT or PATCH always has a Content-Length, 0 without
	// body). HasBody tells "no body" from "an empty body" to HTTP/2 and
	// net/http.
	Body    string
	HasBody bool
	// Head, when set, is the request's head as AppendHead wrote it for the
	// same Method, URL, Host, Header and length of Body: Do sends it rather
	// than writing the head again, for a caller that sends one request over
	// and over. HTTP/2 and net/http ignore it.
	Head []byte
}

// HTTP returns r as an http.Request with ctx, for HTTP/2 and net/http: its
// body can be read again (GetBody).
func (r *Request) HTTP(ctx context.Context) *http.Request {
	hr := &http.Request{Method: r.Method, URL: r.URL, Host: r.Host, Header: r.Header, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	if hr.Host == "" {
		hr.Host = r.URL.Host
	}
	if r.HasBody || r.Body != "" {
		body := r.Body
		hr.ContentLength = int64(len(body))
		hr.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
		if body != "" {
			hr.Body, _ = hr.GetBody()
		} else {
			hr.Body = http.NoBody
		}
	}
	return hr.WithContext(ctx)
}

// Response is a response as Transport.Do returns it. Its header is read from
// the head as it came only when asked for (Get, Values, Header): most
// requests look at none, or at one or two headers, and a map per response
// costs more than the rest of reading it.
type Response struct {
	Status        string // "200 OK"
	StatusCode    int
	Proto         string // "HTTP/1.1"
	ProtoMajor    int
	ProtoMinor    int
	ContentLength int64 // -1 when unknown
	Chunked       bool  // the body came in chunks (Transfer-Encoding: chunked)
	Close         bool  // the connection closes after this response
	// Body is the body, to read to its end and close; http.NoBody when there
	// is none. It is only read by the caller's goroutine: the Transport
	// starts none.
	Body io.ReadCloser

	head   string        // the status line and header lines, without line ends: own's bytes when pooled
	own    []byte        // the memory of head, reused once the Response is recycled
	pooled bool          // read by the Transport (see Recycle)
	spans  []headerSpan  // the header lines in head
	inline [8]headerSpan // spans' storage for the usual responses
	header http.Header   // built on first use, or given (ResponseOf)
	body   pooledBody    // Body of an HTTP/1.1 response with one
}

// ResponseOf converts a response of net/http (or of HTTP/2) to a Response.
func ResponseOf(r *http.Response) *Response {
	return &Response{Status: r.Status, StatusCode: r.StatusCode, Proto: r.Proto, ProtoMajor: r.ProtoMajor,
		ProtoMinor: r.ProtoMinor, ContentLength: r.ContentLength, Close: r.Close, Body: r.Body,
		Chunked: len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked", header: r.Header}
}

// Get returns the first value of header name, "" when absent; the name is
// matched without regard to case.
func (r *Response) Get(name string) string {
	if r.header != nil {
		return r.header.Get(name)
	}
	for _, sp := range r.spans {
		if r.is(sp, name) && !r.skip(sp) {
			return r.head[sp.vs:sp.ve]
		}
	}
	return ""
}

// Values returns the values of header name, in the order they came; nil
// when absent.
func (r *Response) Values(name string) []string {
	if r.header != nil {
		return r.header.Values(name)
	}
	var vs []string
	for _, sp := range r.spans {
		if r.is(sp, name) && !r.skip(sp) {
			vs = append(vs, r.head[sp.vs:sp.ve])
		}
	}
	return vs
}

// Header returns the header, built on the first call; repeated headers keep
// their order. A chunked response has no Content-Length (the chunks decide,
// whatever a length said). The caller must not modify it.
func (r *Response) Header() http.Header {
	if r.header != nil {
		return r.header
	}
	h := make(http.Header, len(r.spans))
	values := make([]string, len(r.spans))
	for i, sp := range r.spans {
		if r.skip(sp) {
			continue
		}
		values[i] = r.head[sp.vs:sp.ve]
		key := canonicalKey(r.head[sp.ns:sp.ne])
		if old, ok := h[key]; ok {
			h[key] = append(old, values[i])
		} else {
			h[key] = values[i : i+1 : i+1]
		}
	}
	r.header = h
	return h
}

// is reports whether header line sp is header name, whatever the case.
func (r *Response) is(sp headerSpan, name string) bool {
	return int(sp.ne-sp.ns) == len(name) && strings.EqualFold(r.head[sp.ns:sp.ne], name)
}

// skip reports whether header line sp is left out: a Content-Length beside
// chunks.
func (r *Response) skip(sp headerSpan) bool {
	return r.Chunked && r.is(sp, "Content-Length")
}

// HTTP returns r as an http.Response to req (Header built).
func (r *Response) HTTP(req *http.Request) *http.Response {
	hr := &http.Response{Status: r.Status, StatusCode: r.StatusCode, Proto: r.Proto, ProtoMajor: r.ProtoMajor,
		ProtoMinor: r.ProtoMinor, Header: r.Header(), Body: r.Body, ContentLength: r.ContentLength, Close: r.Close, Request: req}
	if r.Chunked {
		hr.TransferEncoding = chunkedEncoding
	}
	return hr
}
