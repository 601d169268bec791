package http

import (
	"cmp"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/jsload/jsload/bindings/http/internal/h1"
)

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
	url    string       // the final URL, after redirects
	method string       // the final method (a 303 turns POST into GET)
	text   string       // respText body
	binary []byte       // respBinary body
	// unsized is the size of a body that came without a Content-Length (or
	// was decoded), the size hint of the URL's next request (see record).
	unsized int
	kept    int         // the bytes allocated for the body kept (respText or respBinary)
	limited limitReader // the limit on a body of unknown size (readBody)

	remote net.Addr  // the address of the server of the final response, or nil
	tls    *tls.Conn // the final response's TLS connection (see tlsField), nil without

	err     error // why the request failed (status 0); msg and code describe it
	msg     string
	code    int
	aborted bool // the runtime's context ended: the VU is stopping

	view response // the JavaScript object, made and used on the runtime's goroutine
}

// do sends res.req with its cookies (params.cookies, and those of params.jar or
// else the VU's jar, which gets the cookies responses set) through the VU's
// connection pool and reads its response into res, following redirects, with t
// timing it. It never blocks past parent (nor the request's timeout). Safe to
// call from any goroutine; t is the caller's alone until do returns.
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
	jar, own := cmp.Or(r.jar, s.jar), r.cookies
	digested := false
	for n := 0; ; n++ {
		t.reset()
		hopHeader := withCookies(header, jar, u, own)
		req := newHopRequest(&t.hreq, method, u, hopHeader, r.body, hasBody)
		if n == 0 && r.host != "" {
			req.Host = r.host
		}
		if t.heads != nil && n == 0 && !r.owned && sameHeader(hopHeader, r.header) { // the defaults' own headers, which never change
			req.Head = t.heads.head(req)
		}
		resp, err := tr.Do(ctx, req)
		t.hreq = h1.Request{} // a pooled tracer keeps no body
		if err != nil {
			res.fail(t, parent, ctx, err, "")
			return
		}
		if resp.Get("Set-Cookie") != "" {
			jar.setCookies(u, responseSetCookies(resp))
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
			if !isDomainOrSubdomain(next.Hostname(), r.url.Hostname()) {
				own = nil // as a Cookie header the script set
			}
			u, res.url = next, next.Redacted()
			continue
		}
		res.status, res.line, res.proto, res.resp, res.tls = resp.StatusCode, resp.Status, resp.Proto, resp, t.tls.Load()
		if c := t.conn.Load(); c != nil {
			res.remote = c.RemoteAddr()
		}
		if err := res.readBody(resp, method, r.respType, r.maxBody); err != nil {
			res.fail(t, parent, ctx, err, "read body: ")
			return
		}
		res.addHop(t, method, res.url, res.status)
		noteResponse(res.kept)
		return
	}
}

// responseSetCookies returns the cookies resp sets (malformed ones are skipped,
// as net/http skips them), in strings of their own: the jar outlives resp.
func responseSetCookies(resp *h1.Response) []*http.Cookie {
	var cookies []*http.Cookie
	for _, line := range resp.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(strings.Clone(line)); err == nil {
			cookies = append(cookies, c)
		}
	}
	return cookies
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

// newHopRequest fills req with one hop's request, header with its cookies
// (withCookies).
func newHopRequest(req *h1.Request, method string, u *url.URL, header http.Header, body string, hasBody bool) *h1.Request {
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
