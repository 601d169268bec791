package http

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// h1Transport is a VU's connection pool for plain http:// URLs: HTTP/1.1 with
// keep-alive, where a request is written and its response read on the caller's
// goroutine. net/http's Transport gives every connection a reading and a writing
// goroutine and hands each request and response between them through channels;
// for a VU, which makes one request at a time, those hand-offs cost more CPU than
// the request itself on loopback. It reads response heads with its own parser
// (h1read.go; chunked bodies with httputil's reader) and honours what send.go
// relies on from net/http: the request's
// context (its cancellation aborts the I/O), httptrace hooks, transparent gzip
// when the script did not ask for an encoding, and a retry on a fresh connection
// when a kept-alive one turns out to have been closed by the server.
//
// It is safe for concurrent use (a VU's background scripts and batch() share it)
// and starts no goroutine.
type h1Transport struct {
	dialer    net.Dialer
	mu        sync.Mutex
	idle      map[string][]*h1Conn // by host:port, the most recently used last
	gen       uint64               // counts closeIdle calls: older connections are not pooled again
	lastSweep time.Time            // when put last closed the connections idle too long
}

// h1IdleTimeout is how long a connection may stay idle before it is not reused.
const h1IdleTimeout = 90 * time.Second

// h1CheckAfter is how long a connection may stay idle before it is checked
// (without blocking) for a close by the server before reuse. Servers close idle
// connections after a few seconds (Node.js and Apache after 5 s); a request on
// such a connection fails once written, and only idempotent ones can be sent
// again. Connections reused at once, as under load, skip the check.
const h1CheckAfter = 500 * time.Millisecond

// h1MaxInformational is how many 1xx answers may come before a response.
const h1MaxInformational = 5

// h1MaxIdlePerHost is how many idle connections to one host are kept: enough for
// one batch() at full parallelism.
const h1MaxIdlePerHost = maxBatchParallel

// h1Conn is one connection of the pool.
type h1Conn struct {
	nc        *countingConn
	br        *bufio.Reader
	head      []byte          // the response head being read, kept for the next one
	watched   context.Context // the context whose end aborts the connection's I/O
	unwatch   func() bool     // stops that
	spans     []headerSpan    // its header lines
	addr      string
	idleSince time.Time
	gen       uint64 // the transport's gen when the connection was made
}

// maxKeptBuffer is the largest buffer kept for reuse: a request being written,
// a response head being read.
const maxKeptBuffer = 64 << 10

var errNoHost = errors.New("no host in request URL")

// RoundTrip sends req and reads its response's head; the body is read by the
// caller, and the connection goes back to the pool when the body has been read to
// its end and closed.
func (t *h1Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	wire := wirePool.Get().(*[]byte)
	defer func() {
		if cap(*wire) <= maxKeptBuffer {
			wirePool.Put(wire)
		}
	}()
	var gzipped bool
	var err error
	*wire, gzipped, err = appendRequest((*wire)[:0], req) // closes req.Body
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	trace := httptrace.ContextClientTrace(ctx)
	addr := req.URL.Host // the pool's key; "host" and "host:80" are two keys, which costs nothing
	for attempt := 0; ; attempt++ {
		if trace != nil && trace.GetConn != nil {
			trace.GetConn(addr)
		}
		c, reused, err := t.get(ctx, addr)
		if err != nil {
			return nil, err
		}
		if trace != nil && trace.GotConn != nil {
			trace.GotConn(httptrace.GotConnInfo{Conn: c.nc, Reused: reused})
		}
		resp, wrote, err := t.exchange(ctx, c, req, *wire, gzipped, trace)
		if err == nil {
			return resp, nil
		}
		c.close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// A kept-alive connection the server closed fails before any response
		// byte; the request is sent again on a new one when that is safe.
		var stale staleError
		if !errors.As(err, &stale) {
			return nil, err
		}
		if !reused || attempt > 0 || (wrote && !idempotent(req.Method)) {
			return nil, stale.err
		}
	}
}

// wirePool holds buffers for requests as they are written.
var wirePool = sync.Pool{New: func() any { return new([]byte) }}

// staleError is an error that came before any byte of the response: on a
// kept-alive connection, most often that the server had closed it.
type staleError struct{ err error }

func (e staleError) Error() string { return e.err.Error() }
func (e staleError) Unwrap() error { return e.err }

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// get returns an idle connection to addr (a URL's host, with or without port),
// or dials one.
func (t *h1Transport) get(ctx context.Context, addr string) (*h1Conn, bool, error) {
	for c := t.takeIdle(addr); c != nil; c = t.takeIdle(addr) {
		// A connection idle for long, closed by the server, or aborted by the
		// end of the context an earlier request watched it with, is not used.
		idle := time.Since(c.idleSince)
		if idle < h1IdleTimeout && (idle < h1CheckAfter || c.alive()) && c.watch(ctx) {
			return c, true, nil
		}
		c.close()
	}
	t.mu.Lock()
	gen := t.gen
	t.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	dial := addr
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = strings.Trim(addr, "[]"), ""
	}
	if port == "" {
		dial = net.JoinHostPort(host, "80")
	}
	nc, err := t.dialer.DialContext(ctx, "tcp", dial) // reports ConnectStart/Done to the trace
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		return nil, false, err
	}
	cc := &countingConn{Conn: nc}
	c := &h1Conn{nc: cc, br: bufio.NewReader(cc), addr: addr, gen: gen}
	c.watch(ctx)
	return c, false, nil
}

// takeIdle removes the most recently used idle connection to addr from the
// pool, or returns nil.
func (t *h1Transport) takeIdle(addr string) *h1Conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	list := t.idle[addr]
	if len(list) == 0 {
		return nil
	}
	c := list[len(list)-1]
	list[len(list)-1] = nil
	t.idle[addr] = list[:len(list)-1]
	return c
}

// alive reports whether the server has neither closed c nor sent anything on
// it while it was idle.
func (c *h1Conn) alive() bool {
	return c.br.Buffered() == 0 && socketIdle(c.nc.Conn)
}

// put returns c to the pool, or closes it when the pool for its host is full,
// when closeIdle ran since c was made, or when bytes the response did not
// account for arrived on it (a server answering a HEAD with a body, say). Now
// and then it also closes the connections idle for too long, to hosts the VU no
// longer asks.
func (t *h1Transport) put(c *h1Conn) {
	if c.br.Buffered() > 0 {
		c.close()
		return
	}
	now := time.Now()
	c.idleSince = now
	var stale []*h1Conn
	t.mu.Lock()
	if t.idle == nil {
		t.idle = make(map[string][]*h1Conn)
	}
	if now.Sub(t.lastSweep) > h1IdleTimeout {
		t.lastSweep = now
		for addr, list := range t.idle {
			keep := list[:0]
			for _, ic := range list {
				if now.Sub(ic.idleSince) < h1IdleTimeout {
					keep = append(keep, ic)
				} else {
					stale = append(stale, ic)
				}
			}
			clear(list[len(keep):])
			t.idle[addr] = keep
		}
	}
	pooled := false
	if list := t.idle[c.addr]; c.gen == t.gen && len(list) < h1MaxIdlePerHost {
		t.idle[c.addr] = append(list, c)
		pooled = true
	}
	t.mu.Unlock()
	if !pooled {
		c.close()
	}
	for _, ic := range stale {
		ic.close()
	}
}

// closeIdle closes the idle connections; those in use are closed when their
// request ends. Later requests open new ones.
func (t *h1Transport) closeIdle() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	t.gen++
	t.mu.Unlock()
	for _, list := range idle {
		for _, c := range list {
			c.close()
		}
	}
}

// aLongTimeAgo is a deadline in the past: setting it aborts blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)

// exchange writes req on c and reads the head of its response. wrote says the
// request reached the connection. An error before the first response byte is a
// staleError.
func (t *h1Transport) exchange(ctx context.Context, c *h1Conn, req *http.Request, wire []byte, gzipped bool, trace *httptrace.ClientTrace) (resp *http.Response, wrote bool, err error) {
	if err := ctx.Err(); err != nil { // AfterFunc runs f later when ctx is already done
		return nil, false, err
	}
	n, werr := c.nc.Write(wire)
	if trace != nil && trace.WroteRequest != nil {
		trace.WroteRequest(httptrace.WroteRequestInfo{Err: werr})
	}
	if werr != nil {
		// A server may answer before it has read the whole request (a 413 to a
		// large upload) and close: that answer is the response.
		if n == 0 || !c.answeredEarly(ctx) {
			return nil, n > 0, staleError{werr}
		}
	} else if _, err := c.br.Peek(1); err != nil {
		return nil, true, staleError{err}
	}
	if trace != nil && trace.GotFirstResponseByte != nil {
		trace.GotFirstResponseByte()
	}
	for informational := 0; ; informational++ {
		resp, err = c.readResponse(req)
		if err != nil {
			return nil, true, err
		}
		// An informational answer (100 Continue, 103 Early Hints) comes before
		// the real one; 101 Switching Protocols is final.
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		if informational == h1MaxInformational {
			return nil, true, fmt.Errorf("more than %d informational (1xx) responses", h1MaxInformational)
		}
	}
	if werr != nil {
		resp.Close = true // the request was not all written: the connection is done
	}
	body, _ := resp.Body.(*h1Body)
	if body == nil { // http.NoBody
		t.release(c, ctx, !resp.Close)
		return resp, true, nil
	}
	body.t, body.ctx, body.reusable = t, ctx, !resp.Close
	if gzipped && strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
		resp.Body = &gunzipBody{body: body}
	}
	return resp, true, nil
}

// answeredEarly reports whether a response has come on c, waiting for it a
// little: the request could not be written whole.
func (c *h1Conn) answeredEarly(ctx context.Context) bool {
	_ = c.nc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	_, err := c.br.Peek(1)
	_ = c.nc.SetReadDeadline(time.Time{})
	return err == nil && ctx.Err() == nil // a cancellation's deadline may have been cleared: the connection is closed then
}

// release ends a request on c: back to the pool when it may be reused and its
// context did not end (its end may have set a deadline on the connection).
func (t *h1Transport) release(c *h1Conn, ctx context.Context, reusable bool) {
	if reusable && ctx.Err() == nil {
		t.put(c)
		return
	}
	c.close()
}

// watch makes the end of ctx abort c's I/O, and reports whether c is usable.
// A VU's requests share one context until it ends, so the watch set up by the
// connection's first request usually serves all the later ones: most requests
// register nothing with their context.
func (c *h1Conn) watch(ctx context.Context) bool {
	if c.watched == ctx {
		return true
	}
	if c.unwatch != nil && !c.unwatch() {
		return false // the earlier context ended: a deadline may be set on c
	}
	c.watched = ctx
	c.unwatch = context.AfterFunc(ctx, func() { _ = c.nc.SetDeadline(aLongTimeAgo) })
	return true
}

// close closes c's connection and stops watching its context.
func (c *h1Conn) close() {
	if c.unwatch != nil {
		c.unwatch()
		c.unwatch, c.watched = nil, nil
	}
	c.nc.Close()
}

// appendRequest appends req's head and body to b as they go on the wire, and
// closes req.Body. It asks for gzip, as net/http does, when the script set no
// Accept-Encoding nor Range (gzipped).
func appendRequest(b []byte, req *http.Request) (_ []byte, gzipped bool, err error) {
	var n int64        // the body's length
	var unsized []byte // a body of unknown length, read first to learn it
	if req.Body != nil && req.Body != http.NoBody {
		defer req.Body.Close()
		if n = req.ContentLength; n <= 0 {
			if unsized, err = io.ReadAll(req.Body); err != nil {
				return b, false, fmt.Errorf("read request body: %w", err)
			}
			n = int64(len(unsized))
		}
	}
	if req.URL.Host == "" {
		return b, false, errNoHost
	}
	b = append(b, req.Method...)
	b = append(b, ' ')
	b = appendRequestURI(b, req)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if !validHeaderValue(host) {
		return b, false, fmt.Errorf("invalid Host %q", host)
	}
	b = append(b, host...)
	b = append(b, "\r\n"...)

	var keys [16]string
	names := keys[:0]
	for k := range req.Header {
		switch k {
		case "Host", "Content-Length", "Transfer-Encoding", "Trailer":
			continue
		}
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !validHeaderName(k) {
			return b, false, fmt.Errorf("invalid header name %q", k)
		}
		for _, v := range req.Header[k] {
			if !validHeaderValue(v) {
				return b, false, fmt.Errorf("invalid value %q of header %s: it has a control character (a line break?)", v, k)
			}
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, v...)
			b = append(b, "\r\n"...)
		}
	}
	if req.Header.Get("Accept-Encoding") == "" && req.Header.Get("Range") == "" && req.Method != http.MethodHead {
		b = append(b, "Accept-Encoding: gzip\r\n"...)
		gzipped = true
	}
	if n > 0 || req.Method == http.MethodPost || req.Method == http.MethodPut || req.Method == http.MethodPatch {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, n, 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	if unsized != nil || n == 0 {
		return append(b, unsized...), gzipped, nil
	}
	head := len(b)
	b = slices.Grow(b, int(n))[:head+int(n)] // the body is read in place after the head
	if _, err := io.ReadFull(req.Body, b[head:]); err != nil {
		return b[:head], false, fmt.Errorf("read request body: %w", err)
	}
	return b, gzipped, nil
}

// appendRequestURI appends the request target of req: its path and query.
func appendRequestURI(b []byte, req *http.Request) []byte {
	u := req.URL
	if u.Opaque != "" || u.RawPath != "" || u.ForceQuery || u.Fragment != "" {
		return append(b, u.RequestURI()...)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	if !pathNeedsEscape(path) {
		b = append(b, path...)
	} else {
		b = append(b, u.EscapedPath()...)
	}
	if u.RawQuery != "" {
		b = append(b, '?')
		b = append(b, u.RawQuery...)
	}
	return b
}

// pathNeedsEscape reports whether path has a byte that url.URL.EscapedPath would
// escape; plain paths are written as they are.
func pathNeedsEscape(path string) bool {
	for i := 0; i < len(path); i++ {
		c := path[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		switch c {
		case '/', '-', '_', '.', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@':
			continue
		}
		return true
	}
	return false
}

// validHeaderName reports whether name is an HTTP token. (Generic so that a
// response's bytes are checked without a copy.)
func validHeaderName[T string | []byte](name T) bool {
	if len(name) == 0 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether v has no control character but tab.
func validHeaderValue[T string | []byte](v T) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// h1Body is a response body on a pooled connection, framed by its
// Content-Length, by chunks, or by the end of the connection. Read to its end
// and closed, it gives the connection back.
type h1Body struct {
	t        *h1Transport
	c        *h1Conn
	ctx      context.Context // the request's: when it ends, reads fail with its error
	remain   int64           // bytes left of a Content-Length body; -1 otherwise
	chunks   io.Reader       // the chunked decoder of a chunked body
	reusable bool            // the connection may serve another request after this body
	eof      bool
	done     bool
}

var errBodyClosed = errors.New("read on a closed response body")

func (b *h1Body) Read(p []byte) (n int, err error) {
	switch {
	case b.done:
		return 0, errBodyClosed
	case b.eof:
		return 0, io.EOF
	case b.chunks != nil:
		n, err = b.chunks.Read(p)
		if err == io.EOF {
			if err = b.c.skipTrailer(); err == nil {
				err = io.EOF
			}
		}
	case b.remain >= 0:
		if int64(len(p)) > b.remain {
			p = p[:b.remain]
		}
		if len(p) == 0 {
			err = io.EOF
			break
		}
		n, err = b.c.br.Read(p)
		b.remain -= int64(n)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		} else if err == nil && b.remain == 0 {
			err = io.EOF
		}
	default: // to the end of the connection
		n, err = b.c.br.Read(p)
		b.reusable = false
	}
	if err == io.EOF {
		b.eof = true
	} else if err != nil {
		b.reusable = false
		if ctxErr := b.ctx.Err(); ctxErr != nil {
			err = ctxErr // the I/O was aborted by the cancellation
		}
	}
	return n, err
}

// Close gives the connection back when the body was read to its end, or ends
// within the bytes already received; otherwise it closes the connection.
func (b *h1Body) Close() error {
	if b.done {
		return nil
	}
	// The rest of a Content-Length body already received is skipped; any
	// other unread body closes the connection, since reading it could block.
	if !b.eof && b.reusable && b.chunks == nil && b.remain >= 0 && b.remain <= int64(b.c.br.Buffered()) {
		_, _ = b.c.br.Discard(int(b.remain))
		b.remain, b.eof = 0, true
	}
	b.done = true
	b.t.release(b.c, b.ctx, b.reusable && b.eof)
	return nil
}

// gunzipBody decompresses a gzip body on first read.
type gunzipBody struct {
	body *h1Body
	zr   *gzip.Reader
	err  error
}

func (g *gunzipBody) Read(p []byte) (int, error) {
	if g.zr == nil && g.err == nil {
		g.zr, g.err = gzip.NewReader(g.body)
	}
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.zr.Read(p)
	if err == io.EOF {
		// The end of the gzip stream; read the end of the body so the
		// connection can be reused.
		var one [1]byte
		if m, e := g.body.Read(one[:]); m > 0 || (e != nil && e != io.EOF) {
			g.body.reusable = false
		}
	}
	return n, err
}

func (g *gunzipBody) Close() error { return g.body.Close() }
