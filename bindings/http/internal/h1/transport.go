// Package h1 is jsload's HTTP/1.1 client, for http:// and https:// URLs: a
// connection pool with keep-alive, where a request is written and its response
// read on the caller's goroutine, and the byte-counting connection both it and
// the net/http pools of the binding use for data_sent and data_received.
//
// It is written by hand rather than taken from net/http because net/http's
// Transport gives every connection a reading and a writing goroutine and hands
// each request and response between them through channels; for a VU, which makes
// one request at a time, those hand-offs cost more CPU than the request itself on
// loopback (BenchmarkGetCPU in the binding compares h1=N with nethttp=N), and
// over TLS more still. It reads response heads with its own parser
// (response.go; chunked bodies with httputil's reader) and honours what the
// binding relies on from net/http: the request's context (its cancellation
// aborts the I/O), httptrace hooks, and the care net/http takes with
// kept-alive connections a server closes (see RoundTrip). It does not decode
// bodies (the binding decodes every Content-Encoding it knows, on this path
// and net/http's), nor do proxies (the binding sends those requests through
// net/http).
//
// https:// connections are crypto/tls clients (tls.go) with a session cache per
// Transport, so that a VU's new connections resume its earlier sessions. A
// Transport with an H2 function offers HTTP/2 by ALPN too: a server that
// chooses it gets one connection, handed to H2, which serves all the
// requests to that host from then on (the binding's HTTP/2 client); dials to a
// host whose protocol is not known yet wait for the one in flight, so that a
// batch opens one HTTP/2 connection, not one per request.
//
// net/http learns at once that a server closed an idle connection: a goroutine
// per connection is always reading it. Without that goroutine, a Transport
// peeks at an idle connection's socket before reusing it for a request that
// may not be sent twice (one non-blocking recv syscall, see peeker), so that
// such a request is not sent on a connection it could know is closed; a
// request that may (a GET) goes at once, and is sent again on a new
// connection when the old one turns out to be closed.
//
// On Linux the request's write and the answer's first read are raw system
// calls, made while the socket's read lock is held (sysIO): Go's runtime then
// does not hand the processor to another thread while the kernel delivers the
// request on loopback, a tenth of a GET's CPU, plain or over TLS.
//
// The package never imports goja: it knows nothing of scripts, metrics or VUs.
package h1

import (
	"bufio"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"
)

// Transport is a connection pool for http:// and https:// URLs: HTTP/1.1 with
// keep-alive, and HTTP/2 through H2 when a server chooses it. It implements
// http.RoundTripper; its zero value is ready to use.
//
// It is safe for concurrent use (the binding shares one between a VU's runtimes
// and the requests of a batch) and starts no goroutine: every read and write of
// an HTTP/1.1 connection happens on the goroutine of the request, or of the
// caller reading its body. Connections come from a net.Dialer and are
// CountingConns (under TLS, for https://), so a trace's GotConn hook finds the
// bytes a request carried through CountingConnOf.
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

	// TLSClientConfig is the TLS configuration of https:// connections; nil
	// means crypto/tls's defaults. Each connection uses a copy with its
	// ServerName (when the config has none) and NextProtos (ALPN) set; the
	// Transport adds a session cache of its own when the config has none. Set
	// it before the first request, and do not modify it afterwards.
	TLSClientConfig *tls.Config

	// H2, when set, makes https:// connections offer HTTP/2 (ALPN "h2" before
	// "http/1.1"). A connection on which the server chose it is handed to H2,
	// whose Alt then serves every request to that host and port while it is
	// Usable; without H2 only HTTP/1.1 is offered.
	H2 func(c *tls.Conn) (Alt, error)

	mu        sync.Mutex
	idle      map[connKey]*idleList     // the idle connections of each host
	lastIdle  *idleList                 // the list used last: a VU mostly asks one host, whose list needs no lookup
	alts      map[connKey]*altConn      // hosts served by an HTTP/2 connection
	dialing   map[connKey]chan struct{} // TLS dials whose protocol may be HTTP/2, closed when done
	h1Only    map[connKey]bool          // hosts whose server chose HTTP/1.1: their dials do not wait for each other
	retired   []*altConn                // HTTP/2 connections replaced, closed by CloseIdle
	tlsBase   *tls.Config               // TLSClientConfig with the session cache and NextProtos, made on first use
	gen       uint64                    // counts CloseIdle calls: older connections are not pooled again
	lastSweep int64                     // MonoNow when put last closed the connections idle too long
}

// connKey identifies the connections a request may use: its URL's host (with
// or without port: "host" and "host:80" are two keys, which costs nothing) and
// whether it is https.
type connKey struct {
	addr   string
	secure bool
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

// dialer dials every Transport's connections: a net.Dialer is safe for
// concurrent use, and one per Transport would add to every VU's memory.
var dialer net.Dialer

// RoundTrip implements http.RoundTripper with Do: it reads req's body (and
// closes it), and returns the response with its header built.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r, err := requestOf(req)
	if err != nil {
		return nil, err
	}
	resp, err := t.Do(req.Context(), r)
	if err != nil {
		return nil, err
	}
	return resp.HTTP(req), nil
}

// Do sends req and reads its response's head; the body is read by the
// caller, and the connection goes back to the pool when the body has been read to
// its end and closed (closing it early closes the connection, unless the rest of
// the body has already arrived). The end of ctx aborts the exchange and any
// later read of the body, which then fail with the context's error; httptrace
// hooks in ctx are called as net/http calls them (GetConn, ConnectStart/Done,
// TLSHandshakeStart/Done, GotConn, WroteRequest, GotFirstResponseByte).
//
// An idle connection is checked before reuse (see get). A request that fails
// on a kept-alive connection before any byte of its response came is sent
// again on another connection when net/http would send it again
// (persistConn.shouldRetryRequest): when nothing of it was written, or when it
// is replayable (GET, HEAD, OPTIONS, TRACE, or a request with an
// Idempotency-Key header) and the connection broke or ended before the answer.
// A 408 Request Timeout on a kept-alive connection is the server saying it
// closed the connection unused: the request is sent again too. A new
// connection that fails is never retried: the server does not want the
// request.
func (t *Transport) Do(ctx context.Context, req *Request) (*Response, error) {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, fmt.Errorf("unsupported protocol scheme %q", req.URL.Scheme)
	}
	key := connKey{addr: req.URL.Host, secure: req.URL.Scheme == "https"}
	trace := httptrace.ContextClientTrace(ctx)
	if key.secure && t.H2 != nil {
		if a := t.alt(key); a != nil {
			if trace != nil && trace.GetConn != nil {
				trace.GetConn(key.addr)
			}
			return t.doAlt(ctx, key, a, req, trace, true)
		}
	}
	wire := wirePool.Get().(*[]byte)
	defer func() {
		if cap(*wire) <= maxKeptBuffer {
			wirePool.Put(wire)
		}
	}()
	var err error
	if *wire, _, err = appendRequest((*wire)[:0], req); err != nil {
		return nil, err
	}
	replay := replayable(req.Method, req.Header)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for {
		if trace != nil && trace.GetConn != nil {
			trace.GetConn(key.addr)
		}
		c, a, reused, err := t.get(ctx, key, replay, trace)
		if err != nil {
			return nil, err
		}
		if a != nil { // the server chose HTTP/2
			return t.doAlt(ctx, key, a, req, trace, reused)
		}
		if trace != nil && trace.GotConn != nil {
			trace.GotConn(httptrace.GotConnInfo{Conn: c.rw, Reused: reused})
		}
		resp, err := t.exchange(ctx, c, req.Method, *wire, reused, trace)
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
		if !reused || (stale.wrote && !stale.unprocessed && !replay) {
			return nil, stale.err
		}
	}
}

// monoEpoch is the origin of MonoNow.
var monoEpoch = time.Now()

// MonoNow is the monotonic clock in nanoseconds since the process started:
// one read of the clock where time.Now makes two (the wall clock too).
func MonoNow() int64 { return int64(time.Since(monoEpoch)) }

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

// replayable reports whether a request may be sent again once written, by
// net/http's rule (Request.isReplayable): an idempotent method, or an
// Idempotency-Key header that says the server accepts a repeat.
func replayable(method string, h http.Header) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, key := h["Idempotency-Key"]
	_, xkey := h["X-Idempotency-Key"]
	return key || xkey
}

// get returns an idle connection for key, or dials one; for https://, the
// dial may bring an HTTP/2 connection instead (see adopt), returned as a.
// replay says the request may be sent again once written (see replayable).
func (t *Transport) get(ctx context.Context, key connKey, replay bool, trace *httptrace.ClientTrace) (c *conn, a *altConn, reused bool, err error) {
	for c := t.takeIdle(key); c != nil; c = t.takeIdle(key) {
		// A connection idle for long, closed by the server (or on which it
		// sent something unasked, such as a 408), or aborted by the end of the
		// context an earlier request watched it with, is not used. Only a
		// request that may not be sent twice pays for the check of the
		// socket: a replayable one found a closed connection when its
		// answer does not come, and is sent again then (see Do).
		if MonoNow()-c.idleSince < int64(idleTimeout) && c.br.Buffered() == 0 && (replay || c.alive()) && c.watch(ctx) {
			return c, nil, true, nil
		}
		c.close()
	}
	if key.secure && t.H2 != nil {
		a, done, err := t.awaitDial(ctx, key)
		if a != nil || err != nil {
			return nil, a, true, err
		}
		defer done()
	}
	t.mu.Lock()
	gen := t.gen
	t.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, nil, false, err
	}
	host, port, err := net.SplitHostPort(key.addr)
	if err != nil {
		host, port = strings.Trim(key.addr, "[]"), ""
	}
	if port == "" {
		port = "80"
		if key.secure {
			port = "443"
		}
	}
	dial := net.JoinHostPort(host, port)
	if t.Resolve != nil {
		dial = t.Resolve(dial)
	}
	nc, err := dialer.DialContext(ctx, "tcp", dial) // reports ConnectStart/Done to the trace
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, false, ctx.Err()
		}
		return nil, nil, false, err
	}
	cc := NewCountingConn(nc)
	var rw net.Conn = cc
	if key.secure {
		tc, err := t.handshake(ctx, cc, host, trace)
		if err != nil {
			return nil, nil, false, err
		}
		if tc.ConnectionState().NegotiatedProtocol == "h2" && t.H2 != nil {
			a, err := t.adopt(key, tc, gen)
			return nil, a, false, err
		}
		t.mu.Lock()
		if t.h1Only == nil {
			t.h1Only = make(map[connKey]bool)
		}
		t.h1Only[key] = true
		t.mu.Unlock()
		rw = tc
	}
	c = &conn{nc: cc, rw: rw, br: bufio.NewReader(rw), peek: newPeeker(nc), key: key, gen: gen}
	c.watch(ctx)
	return c, nil, false, nil
}

// idleList holds the idle connections to one host, the most recently used
// last.
type idleList struct {
	key   connKey
	conns []*conn
}

// idleListOf returns the list of key, made when create (else nil when none);
// t.mu is held.
func (t *Transport) idleListOf(key connKey, create bool) *idleList {
	if l := t.lastIdle; l != nil && l.key == key {
		return l
	}
	l := t.idle[key]
	if l == nil {
		if !create {
			return nil
		}
		if t.idle == nil {
			t.idle = make(map[connKey]*idleList)
		}
		l = &idleList{key: key}
		t.idle[key] = l
	}
	t.lastIdle = l
	return l
}

// takeIdle removes the most recently used idle connection for key from the
// pool, or returns nil.
func (t *Transport) takeIdle(key connKey) *conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.idleListOf(key, false)
	if l == nil || len(l.conns) == 0 {
		return nil
	}
	c := l.conns[len(l.conns)-1]
	l.conns[len(l.conns)-1] = nil
	l.conns = l.conns[:len(l.conns)-1]
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
	now := MonoNow()
	c.idleSince = now
	var stale []*conn
	t.mu.Lock()
	if now-t.lastSweep > int64(idleTimeout) {
		t.lastSweep = now
		for _, l := range t.idle {
			keep := l.conns[:0]
			for _, ic := range l.conns {
				if now-ic.idleSince < int64(idleTimeout) {
					keep = append(keep, ic)
				} else {
					stale = append(stale, ic)
				}
			}
			clear(l.conns[len(keep):])
			l.conns = keep
		}
	}
	pooled := false
	if c.gen == t.gen {
		if l := t.idleListOf(c.key, true); len(l.conns) < cmp.Or(t.MaxIdlePerHost, DefaultMaxIdlePerHost) {
			l.conns = append(l.conns, c)
			pooled = true
		}
	}
	t.mu.Unlock()
	if !pooled {
		c.close()
	}
	for _, ic := range stale {
		ic.close()
	}
}

// CloseIdle closes the idle connections and the HTTP/2 connections (requests
// still in flight on these fail); HTTP/1.1 connections in use are closed when
// their request ends. Later requests open new ones. Safe to call at any time,
// any number of times.
func (t *Transport) CloseIdle() {
	t.mu.Lock()
	idle, alts, retired := t.idle, t.alts, t.retired
	t.idle, t.lastIdle, t.alts, t.retired = nil, nil, nil, nil
	t.gen++
	t.mu.Unlock()
	for _, l := range idle {
		for _, c := range l.conns {
			c.close()
		}
	}
	for _, a := range alts {
		_ = a.Close()
	}
	for _, a := range retired {
		_ = a.Close()
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
