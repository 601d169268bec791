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
// request's context (its cancellation aborts the I/O), httptrace hooks, and
// the care net/http takes with kept-alive connections a server closes (see
// RoundTrip). It does not decode bodies (the binding decodes every
// Content-Encoding it knows, on this path and net/http's), nor do TLS, proxies
// or HTTP/2: the binding sends those requests through net/http.
//
// net/http learns at once that a server closed an idle connection: a goroutine
// per connection is always reading it. Without that goroutine, a Transport
// peeks at an idle connection's socket before reusing it (one non-blocking
// recv syscall, see peeker), so that no request is sent on a connection it
// could know is closed.
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
	// DisableKeepAlives closes every connection once its request ends
	// (options.noConnectionReuse). Set it before the first request.
	DisableKeepAlives bool
	// Resolve, if set, maps the host:port a new connection is for to the
	// host:port it dials (options.hosts); the pool still keys connections by
	// the request's host. Set it before the first request.
	Resolve func(hostport string) string

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
//
// An idle connection is checked before reuse (see get). A request that fails
// on a kept-alive connection before any byte of its response came is sent
// again on another connection when net/http would send it again
// (persistConn.shouldRetryRequest): when nothing of it was written, or when it
// is replayable (GET, HEAD, OPTIONS, TRACE, or a request with an
// Idempotency-Key header) and the connection broke or ended before the answer.
// A 408 Request Timeout on a kept-alive connection is the server saying it
// closed the connection unused: the request is sent again too. (A request is
// always replayable here: its bytes, body included, are kept until it ends.) A
// new connection that fails is never retried: the server does not want the
// request.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	wire := wirePool.Get().(*[]byte)
	defer func() {
		if cap(*wire) <= maxKeptBuffer {
			wirePool.Put(wire)
		}
	}()
	var err error
	*wire, err = appendRequest((*wire)[:0], req) // closes req.Body
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	trace := httptrace.ContextClientTrace(ctx)
	addr := req.URL.Host // the pool's key; "host" and "host:80" are two keys, which costs nothing
	for {
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
		resp, err := t.exchange(ctx, c, req, *wire, reused, trace)
		if err == nil {
			return resp, nil
		}
		c.close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// Each retry takes another connection from the pool or dials one,
		// which is not retried: the loop ends.
		var stale staleError
		if !errors.As(err, &stale) {
			return nil, err
		}
		if !reused || (stale.wrote && !stale.unprocessed && !replayable(req)) {
			return nil, stale.err
		}
	}
}

// wirePool holds buffers for requests as they are written.
var wirePool = sync.Pool{New: func() any { return new([]byte) }}

// staleError is an error that came before any byte of the response: on a
// kept-alive connection, most often that the server had closed it. wrote says
// that some of the request reached the connection; unprocessed that the server
// said it did not process the request (a 408 on a kept-alive connection).
type staleError struct {
	err                error
	wrote, unprocessed bool
}

func (e staleError) Error() string { return e.err.Error() }
func (e staleError) Unwrap() error { return e.err }

// errIdle408 is the error of a request answered 408 on a kept-alive
// connection: it is sent again on another connection.
var errIdle408 = errors.New("408 Request Timeout on a kept-alive connection: the server closed it unused")

// replayable reports whether req may be sent again once written, by
// net/http's rule (Request.isReplayable): an idempotent method, or an
// Idempotency-Key header that says the server accepts a repeat.
func replayable(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, key := req.Header["Idempotency-Key"]
	_, xkey := req.Header["X-Idempotency-Key"]
	return key || xkey
}

// get returns an idle connection to addr (a URL's host, with or without port),
// or dials one.
func (t *Transport) get(ctx context.Context, addr string) (*conn, bool, error) {
	for c := t.takeIdle(addr); c != nil; c = t.takeIdle(addr) {
		// A connection idle for long, closed by the server (or on which it
		// sent something unasked, such as a 408), or aborted by the end of the
		// context an earlier request watched it with, is not used.
		if time.Since(c.idleSince) < idleTimeout && c.alive() && c.watch(ctx) {
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
	if t.Resolve != nil {
		dial = t.Resolve(dial)
	}
	nc, err := t.dialer.DialContext(ctx, "tcp", dial) // reports ConnectStart/Done to the trace
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		return nil, false, err
	}
	cc := NewCountingConn(nc)
	c := &conn{nc: cc, br: bufio.NewReader(cc), peek: newPeeker(nc), addr: addr, gen: gen}
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
	if reusable && ctx.Err() == nil && !t.DisableKeepAlives {
		t.put(c)
		return
	}
	c.close()
}
