// Package h1 is jsload's HTTP/1.1 client for plain http:// URLs: a connection
// pool with keep-alive, where a request is written and its response read on the
// caller's goroutine, and the byte-counting connection both it and the net/http
// pools of the binding use for data_sent and data_received.
//
// It is written by hand rather than taken from net/http because net/http's
// Transport gives every connection a reading and a writing goroutine and hands
// each request and response between them through channels; for a VU, which makes
// one request at a time, those hand-offs cost more CPU than the request itself on
// loopback (BenchmarkGetCPU in the binding compares h1=N with nethttp=N). It reads
// response heads with its own parser (response.go; chunked bodies with
// httputil's reader) and honours what the binding relies on from net/http: the
// request's context (its cancellation aborts the I/O), httptrace hooks,
// transparent gzip when the caller did not ask for an encoding, and a retry on a
// fresh connection when a kept-alive one turns out to have been closed by the
// server. It does not do TLS, proxies or HTTP/2: the binding sends those
// requests through net/http.
//
// The package never imports goja: it knows nothing of scripts, metrics or VUs.
package h1

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"
)

// Transport is a connection pool for plain http:// URLs: HTTP/1.1 with
// keep-alive. It implements http.RoundTripper; its zero value is ready to use.
//
// It is safe for concurrent use (the binding shares one between a VU's runtimes
// and the requests of a batch) and starts no goroutine: every read and write happens on the goroutine of
// the request, or of the caller reading its body. Connections come from a
// net.Dialer and are CountingConns, so a trace's GotConn hook finds the bytes a
// request carried through CountingConnOf.
type Transport struct {
	// MaxIdlePerHost is how many idle connections to one host are kept for
	// reuse; 0 means DefaultMaxIdlePerHost. Set it before the first request.
	MaxIdlePerHost int

	dialer    net.Dialer
	mu        sync.Mutex
	idle      map[string][]*conn // by host:port, the most recently used last
	gen       uint64             // counts CloseIdle calls: older connections are not pooled again
	lastSweep time.Time          // when put last closed the connections idle too long
}

// DefaultMaxIdlePerHost is how many idle connections to one host a Transport
// keeps when MaxIdlePerHost is 0.
const DefaultMaxIdlePerHost = 20

// idleTimeout is how long a connection may stay idle before it is not reused.
const idleTimeout = 90 * time.Second

// checkAfter is how long a connection may stay idle before it is checked
// (without blocking) for a close by the server before reuse. Servers close idle
// connections after a few seconds (Node.js and Apache after 5 s); a request on
// such a connection fails once written, and only idempotent ones can be sent
// again. Connections reused at once, as under load, skip the check.
const checkAfter = 500 * time.Millisecond

// maxInformational is how many 1xx answers may come before a response.
const maxInformational = 5

// maxKeptBuffer is the largest buffer kept for reuse: a request being written,
// a response head being read.
const maxKeptBuffer = 64 << 10

var errNoHost = errors.New("no host in request URL")

// RoundTrip sends req and reads its response's head; the body is read by the
// caller, and the connection goes back to the pool when the body has been read to
// its end and closed (closing it early closes the connection, unless the rest of
// the body has already arrived). It closes req.Body. The end of req's context
// aborts the exchange and any later read of the body, which then fail with the
// context's error; httptrace hooks in the context are called as net/http calls
// them (GetConn, ConnectStart/Done, GotConn, WroteRequest, GotFirstResponseByte).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
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
func (t *Transport) get(ctx context.Context, addr string) (*conn, bool, error) {
	for c := t.takeIdle(addr); c != nil; c = t.takeIdle(addr) {
		// A connection idle for long, closed by the server, or aborted by the
		// end of the context an earlier request watched it with, is not used.
		idle := time.Since(c.idleSince)
		if idle < idleTimeout && (idle < checkAfter || c.alive()) && c.watch(ctx) {
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
	cc := NewCountingConn(nc)
	c := &conn{nc: cc, br: bufio.NewReader(cc), addr: addr, gen: gen}
	c.watch(ctx)
	return c, false, nil
}

// takeIdle removes the most recently used idle connection to addr from the
// pool, or returns nil.
func (t *Transport) takeIdle(addr string) *conn {
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

// put returns c to the pool, or closes it when the pool for its host is full,
// when CloseIdle ran since c was made, or when bytes the response did not
// account for arrived on it (a server answering a HEAD with a body, say). Now
// and then it also closes the connections idle for too long, to hosts the caller
// no longer asks.
func (t *Transport) put(c *conn) {
	if c.br.Buffered() > 0 {
		c.close()
		return
	}
	now := time.Now()
	c.idleSince = now
	var stale []*conn
	t.mu.Lock()
	if t.idle == nil {
		t.idle = make(map[string][]*conn)
	}
	if now.Sub(t.lastSweep) > idleTimeout {
		t.lastSweep = now
		for addr, list := range t.idle {
			keep := list[:0]
			for _, ic := range list {
				if now.Sub(ic.idleSince) < idleTimeout {
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
	if list := t.idle[c.addr]; c.gen == t.gen && len(list) < cmp.Or(t.MaxIdlePerHost, DefaultMaxIdlePerHost) {
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

// CloseIdle closes the idle connections; those in use are closed when their
// request ends. Later requests open new ones. Safe to call at any time, any
// number of times.
func (t *Transport) CloseIdle() {
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

// release ends a request on c: back to the pool when it may be reused and its
// context did not end (its end may have set a deadline on the connection).
func (t *Transport) release(c *conn, ctx context.Context, reusable bool) {
	if reusable && ctx.Err() == nil {
		t.put(c)
		return
	}
	c.close()
}
