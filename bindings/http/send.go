package http

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unsafe"

	"github.com/jsload/jsload/bindings/http/internal/h1"
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
	status         int  // 0 when no response came
	code           int  // the errorCode of a failed hop, else 0
	expected       bool // a 401 that digest authentication expects: not a failure
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
	resp   *h1.Response // the final response, for its header; nil when the request failed
	hreq   h1.Request   // the hop being sent
	url    string       // the final URL, after redirects
	method string       // the final method (a 303 turns POST into GET)
	text   string       // respText body
	binary []byte       // respBinary body

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
	digested := false
	for n := 0; ; n++ {
		t.reset()
		req := s.newHopRequest(&res.hreq, method, u, header, r.body, hasBody)
		if n == 0 && r.host != "" {
			req.Host = r.host
		}
		resp, err := tr.Do(ctx, req)
		if err != nil {
			res.fail(t, parent, ctx, err, "")
			return
		}
		if resp.Get("Set-Cookie") != "" {
			s.setCookies(u, resp)
		}
		if r.digest != nil && !digested && resp.StatusCode == http.StatusUnauthorized {
			auth, err := digestAuthorization(resp, r.digest, method, u, r.body)
			if err != nil {
				resp.Body.Close()
				res.fail(t, parent, ctx, err, "digest auth: ")
				return
			}
			if auth != "" { // the challenge answered: the same request again, once
				drain(resp.Body)
				res.addHop(t, method, res.url, resp.StatusCode)
				res.hops[len(res.hops)-1].expected = true
				header = header.Clone()
				header.Set("Authorization", auth)
				digested = true
				continue
			}
		}
		if next := redirectTarget(resp, u, n < r.redirects+boolInt(digested)); next != nil {
			drain(resp.Body)
			res.addHop(t, method, res.url, resp.StatusCode)
			method, hasBody = redirectMethod(resp.StatusCode, method, hasBody)
			res.method = method
			header = redirectHeader(r, next, hasBody)
			u, res.url = next, next.Redacted()
			continue
		}
		res.status, res.line, res.proto, res.resp = resp.StatusCode, resp.Status, resp.Proto, resp
		if err := res.readBody(resp, method, r.respType, r.maxBody); err != nil {
			res.fail(t, parent, ctx, err, "read body: ")
			return
		}
		res.addHop(t, method, res.url, res.status)
		return
	}
}

// setCookies stores the cookies resp sets in the VU's jar (malformed ones are
// skipped, as net/http skips them).
func (s *vuState) setCookies(u *url.URL, resp *h1.Response) {
	var cookies []*http.Cookie
	for _, line := range resp.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil {
			cookies = append(cookies, c)
		}
	}
	s.jar.SetCookies(u, cookies)
	s.jarInUse.Store(true)
}

// digestAuthorization returns the Authorization answering the Digest
// challenge of a 401, or "" when the 401 has none.
func digestAuthorization(resp *h1.Response, cred *credentials, method string, u *url.URL, body string) (string, error) {
	c, err := findDigestChallenge(resp.Header())
	if c == nil || err != nil {
		return "", err
	}
	return c.authorization(cred, method, u.RequestURI(), body, "")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// newHopRequest fills req with one hop's request; cookies of the VU's jar are
// added to a copy of header, which the next hop may reuse.
func (s *vuState) newHopRequest(req *h1.Request, method string, u *url.URL, header http.Header, body string, hasBody bool) *h1.Request {
	if s.jarInUse.Load() { // no lookup before the first cookie: APIs often set none
		if cookies := s.jar.Cookies(u); len(cookies) > 0 {
			header = header.Clone()
			c := &http.Request{Header: header}
			for _, ck := range cookies {
				c.AddCookie(ck)
			}
		}
	}
	*req = h1.Request{Method: method, URL: u, Header: header, HasBody: hasBody}
	if hasBody {
		req.Body = body
	}
	return req
}

// fail records a failure in res: status 0, the error classified. A request
// cut because its VU or script is stopping (parent ended: the end of the
// test, an abort, a ramp-down, stopBackgroundScriptImmediately) is
// interrupted: its hop keeps its duration so far, and is recorded with code
// codeInterrupted, unless it had not begun (no connection asked for).
func (res *result) fail(t *tracer, parent, ctx context.Context, err error, prefix string) {
	res.status, res.resp, res.text, res.binary = 0, nil, "", nil
	res.aborted = parent.Err() != nil
	res.err = err
	if res.aborted {
		res.msg, res.code = "request interrupted: "+context.Cause(parent).Error(), codeInterrupted
		if t.getConn.Load() == 0 {
			return
		}
	} else {
		res.msg, res.code = classify(err, res.req.timeout, context.Cause(ctx) == errTimeout)
		res.msg = prefix + res.msg
	}
	res.addHop(t, res.method, res.url, 0)
	res.hops[len(res.hops)-1].code = res.code
}

func (res *result) addHop(t *tracer, method, url string, status int) {
	h := hop{method: method, url: url, status: status}
	h.t, h.sent, h.received = t.finish()
	res.hops = append(res.hops, h)
}

// readBody reads resp's body as the response type asks, decoded (see
// decodeBody) and at most limit bytes of it, and closes it. A body past the
// limit fails (bodyTooLargeError) and its connection is closed, not read to
// the end; responseType 'none' reads and discards the body as it came, without
// limit. A HEAD response, a 1xx, 204 or 304 has no body, whatever its
// Content-Length says (net/http gives a HEAD response a body that ends at
// once).
func (res *result) readBody(resp *h1.Response, method string, kind responseType, limit int64) error {
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case method == http.MethodHead, code < 200, code == http.StatusNoContent, code == http.StatusNotModified, resp.Body == http.NoBody:
		return nil
	case kind == respNone:
		_, err := io.Copy(io.Discard, resp.Body)
		return err
	}
	var body io.Reader = resp.Body
	size := resp.ContentLength
	if resp.Get("Content-Encoding") != "" {
		d, err := decodeBody(source{resp.Body}, resp.Values("Content-Encoding"))
		if err != nil {
			return err
		}
		defer d.close()
		if len(d.release) > 0 {
			body, size = d, -1
		}
	}
	if size > limit {
		return &bodyTooLargeError{limit}
	}
	if size >= 0 && size <= maxPooledBuffer {
		return res.readSized(body, size, kind)
	}
	if err := res.readAll(&limitReader{r: body, left: limit, limit: limit}, kind); err != nil {
		return err
	}
	if body != resp.Body { // the decoder may stop before the end of the body: read the rest
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	}
	return nil
}

// readAll reads body to its end into a pooled buffer, then into the result.
func (res *result) readAll(body io.Reader, kind responseType) error {
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
func redirectTarget(resp *h1.Response, u *url.URL, follow bool) *url.URL {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	loc := resp.Get("Location")
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
