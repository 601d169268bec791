package http

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unsafe"
)

// maxPooledBuffer is the largest body buffer kept for reuse.
const maxPooledBuffer = 1 << 20

// maxDrain is how much of a redirect's body is read so its connection can be
// reused; a longer one closes the connection.
const maxDrain = 256 << 10

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// hop is one request/response exchange of a request: the request itself, or one
// redirect it followed. Each hop makes one set of http_req_* samples.
type hop struct {
	method, url    string
	status         int // 0 when no response came
	t              timings
	sent, received int64
}

// result is the outcome of one request, plain Go: it may be made on another
// goroutine and is converted to JavaScript on the runtime's.
type result struct {
	req    request
	hops   []hop // the last one is the final response (or the failure)
	hop0   [1]hop
	status int // 0 when the request failed
	line   string
	proto  string
	header http.Header
	url    string // the final URL, after redirects
	method string // the final method (a 303 turns POST into GET)
	text   string // respText body
	binary []byte // respBinary body

	remote net.Addr             // the address of the server of the final response, or nil
	tls    *tls.ConnectionState // the final response's TLS, nil without

	err     error // why the request failed (status 0); msg and code describe it
	msg     string
	code    int
	aborted bool // the runtime's context ended: the VU is stopping

	view response // the JavaScript object, made and used on the runtime's goroutine
}

// do sends res.req with the VU's cookie jar and connection pool and reads its
// response into res, following redirects, with t timing it. It never blocks past
// parent (nor the request's timeout). Safe to call from any goroutine; t is the
// caller's alone until do returns.
func (s *vuState) do(parent context.Context, res *result, t *tracer) {
	r := &res.req
	res.url, res.method, res.hops = r.rawURL, r.method, res.hop0[:0]
	ctx := t.context(parent)
	if r.timeout > 0 {
		t.arm(r.timeout)
		defer t.disarm()
	}
	tr := s.routes[0]
	if r.insecure {
		tr = s.routes[1]
	}
	u, method, header, hasBody := r.url, r.method, r.header, r.hasBody
	for n := 0; ; n++ {
		t.reset()
		req := s.newHTTPRequest(ctx, r, method, u, header, hasBody)
		if n == 0 && r.host != "" {
			req.Host = r.host
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			res.fail(t, parent, ctx, err, "")
			return
		}
		if len(resp.Header["Set-Cookie"]) > 0 {
			if r.jar != nil {
				r.jar.SetCookies(u, resp.Cookies())
			} else {
				s.jar.SetCookies(u, resp.Cookies())
				s.jarInUse.Store(true)
			}
		}
		if next := redirectTarget(resp, u, n < r.redirects); next != nil {
			drain(resp.Body)
			res.addHop(t, method, res.url, resp.StatusCode)
			method, hasBody = redirectMethod(resp.StatusCode, method, hasBody)
			res.method = method
			header = redirectHeader(r, next, hasBody)
			u, res.url = next, next.Redacted()
			continue
		}
		res.status, res.line, res.proto, res.header, res.tls = resp.StatusCode, resp.Status, resp.Proto, resp.Header, resp.TLS
		if c := t.conn.Load(); c != nil {
			res.remote = c.RemoteAddr()
		}
		size := resp.ContentLength
		if resp.Body == http.NoBody { // HEAD: the length a GET would have
			size = 0
		}
		err = res.readBody(resp.Body, size, r.respType)
		resp.Body.Close()
		if err != nil {
			res.fail(t, parent, ctx, err, "read body: ")
			return
		}
		res.addHop(t, method, res.url, res.status)
		return
	}
}

// newHTTPRequest builds one hop's request; cookies of the jar (the VU's, or the
// request's own) and of params.cookies are added to a copy of header, which the
// next hop may reuse.
func (s *vuState) newHTTPRequest(ctx context.Context, r *request, method string, u *url.URL, header http.Header, hasBody bool) *http.Request {
	body := r.body
	var cookies []*http.Cookie
	switch {
	case r.jar != nil:
		cookies = r.jar.Cookies(u)
	case s.jarInUse.Load(): // no lookup before the first cookie: APIs often set none
		cookies = s.jar.Cookies(u)
	}
	if cookies = r.withCookies(cookies); len(cookies) > 0 {
		header = header.Clone()
		c := &http.Request{Header: header}
		for _, ck := range cookies {
			c.AddCookie(ck)
		}
	}
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: header, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	if hasBody {
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
		if len(body) > 0 {
			req.Body, _ = req.GetBody()
		} else {
			req.Body = http.NoBody
		}
	}
	return req.WithContext(ctx)
}

// fail records a failure in res: status 0, the error classified.
func (res *result) fail(t *tracer, parent, ctx context.Context, err error, prefix string) {
	res.status, res.header, res.text, res.binary = 0, nil, "", nil
	res.aborted = parent.Err() != nil
	res.err = err
	res.msg, res.code = classify(err, res.req.timeout, !res.aborted && context.Cause(ctx) == errTimeout)
	res.msg = prefix + res.msg
	res.addHop(t, res.method, res.url, 0)
}

func (res *result) addHop(t *tracer, method, url string, status int) {
	h := hop{method: method, url: url, status: status}
	h.t, h.sent, h.received = t.finish()
	res.hops = append(res.hops, h)
}

// readBody reads the whole body as the response type asks: into a slice of its
// size when the response announced one, else into a pooled buffer.
func (res *result) readBody(body io.Reader, size int64, kind responseType) error {
	if kind == respNone {
		_, err := io.Copy(io.Discard, body)
		return err
	}
	if size >= 0 && size <= maxPooledBuffer {
		return res.readSized(body, size, kind)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	_, err := buf.ReadFrom(body)
	if err == nil {
		if kind == respBinary {
			res.binary = bytes.Clone(buf.Bytes())
		} else {
			res.text = string(buf.Bytes())
		}
	}
	if buf.Cap() <= maxPooledBuffer {
		bufPool.Put(buf)
	}
	return err
}

// readSized reads a body of the given size into a slice of its own, which
// becomes the text (without a copy: nothing writes to it afterwards) or the
// binary body, and then reads the end of the body, which lets the transport
// reuse the connection at once.
func (res *result) readSized(body io.Reader, size int64, kind responseType) error {
	b := make([]byte, size, size+1) // the spare byte reads the end
	if _, err := io.ReadFull(body, b); err != nil {
		return err
	}
	if n, err := body.Read(b[size : size+1]); n > 0 || (err != nil && err != io.EOF) {
		return cmp.Or(err, io.ErrUnexpectedEOF) // net/http stops at the announced size
	}
	if kind == respBinary {
		res.binary = b
	} else {
		res.text = unsafe.String(unsafe.SliceData(b), len(b))
	}
	return nil
}

// drain reads what is left of a short body so its connection can be reused, and
// closes it.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	body.Close()
}

// redirectTarget returns where resp redirects to, or nil when it is not a
// redirect to follow.
func redirectTarget(resp *http.Response, u *url.URL, follow bool) *url.URL {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	loc := resp.Header.Get("Location")
	if !follow || loc == "" {
		return nil
	}
	next, err := u.Parse(loc)
	if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
		return nil // the redirect is returned as it is
	}
	return next
}

// redirectMethod follows browsers (and net/http): 301, 302 and 303 turn any
// method but GET and HEAD into a GET without body; 307 and 308 repeat the request.
func redirectMethod(status int, method string, hasBody bool) (string, bool) {
	switch status {
	case http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return method, hasBody
	}
	if method != http.MethodGet && method != http.MethodHead {
		method = http.MethodGet
	}
	return method, false
}

// redirectHeader returns the headers of a hop to next: the request's own, without
// body headers when the body is dropped, and without credentials when next is
// neither the first request's host nor one of its subdomains.
func redirectHeader(r *request, next *url.URL, hasBody bool) http.Header {
	h := r.header.Clone()
	if !hasBody {
		delete(h, "Content-Type")
		delete(h, "Content-Length")
	}
	if !isDomainOrSubdomain(next.Hostname(), r.url.Hostname()) {
		for _, k := range []string{"Authorization", "Www-Authenticate", "Cookie", "Cookie2"} {
			delete(h, k)
		}
	}
	return h
}

func isDomainOrSubdomain(sub, parent string) bool {
	sub, parent = strings.ToLower(sub), strings.ToLower(parent)
	if sub == parent {
		return true
	}
	if strings.ContainsAny(sub, ":%") {
		return false
	}
	return strings.HasSuffix(sub, "."+parent)
}
