package h1

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptrace"
	"slices"
	"time"
)

// handshakeTimeout bounds a TLS handshake, as net/http's TLSHandshakeTimeout
// does; the request's own context bounds it too.
const handshakeTimeout = 10 * time.Second

// errHandshakeTimeout is the error of a handshake that took handshakeTimeout.
var errHandshakeTimeout = errors.New("TLS handshake timeout")

// Alt is a connection of another protocol than HTTP/1.1 (HTTP/2), made by
// Transport.H2 on a TLS connection, which serves the requests to one host.
// It must be safe for concurrent use: the requests of a batch share it.
type Alt interface {
	http.RoundTripper
	// Usable reports whether the connection may take another request.
	Usable() bool
	// Closed reports whether the connection is closed for good.
	Closed() bool
	// Close closes the connection; requests in flight on it fail.
	Close() error
}

// altConn is an Alt with the TLS connection under it, which the GotConn hook
// is given.
type altConn struct {
	Alt
	tc *tls.Conn
}

// tlsConfig returns the configuration of a new connection to host: a copy of
// TLSClientConfig with the Transport's session cache and NextProtos.
func (t *Transport) tlsConfig(host string) *tls.Config {
	t.mu.Lock()
	base := t.tlsBase
	if base == nil {
		base = &tls.Config{}
		if t.TLSClientConfig != nil {
			base = t.TLSClientConfig.Clone()
		}
		if base.ClientSessionCache == nil {
			base.ClientSessionCache = tls.NewLRUClientSessionCache(0)
		}
		base.NextProtos = []string{"http/1.1"}
		if t.H2 != nil {
			base.NextProtos = []string{"h2", "http/1.1"}
		}
		t.tlsBase = base
	}
	t.mu.Unlock()
	cfg := base.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}

// handshake makes cc a TLS client connection to host, reporting the handshake
// to trace. It closes cc when the handshake fails.
func (t *Transport) handshake(ctx context.Context, cc *CountingConn, host string, trace *httptrace.ClientTrace) (*tls.Conn, error) {
	tc := tls.Client(cc, t.tlsConfig(host))
	if trace != nil && trace.TLSHandshakeStart != nil {
		trace.TLSHandshakeStart()
	}
	hctx, cancel := context.WithTimeoutCause(ctx, handshakeTimeout, errHandshakeTimeout)
	err := tc.HandshakeContext(hctx)
	timedOut := context.Cause(hctx) == errHandshakeTimeout
	cancel()
	if trace != nil && trace.TLSHandshakeDone != nil {
		trace.TLSHandshakeDone(tc.ConnectionState(), err)
	}
	if err == nil {
		return tc, nil
	}
	cc.Close()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case timedOut:
		return nil, errHandshakeTimeout
	}
	return nil, err
}

// alt returns the usable HTTP/2 connection for key, or nil.
func (t *Transport) alt(key connKey) *altConn {
	t.mu.Lock()
	a := t.alts[key]
	t.mu.Unlock()
	if a != nil && a.Usable() {
		return a
	}
	return nil
}

// awaitDial lets one TLS dial at a time go to a host whose protocol is not
// known to be HTTP/1.1: when its server chooses HTTP/2, that one connection
// serves the requests waiting too. It returns that connection, or the
// function to call once this request's own dial is done (it lets the next
// waiter go); for a host known to speak HTTP/1.1 it returns at once, since
// every request in flight needs a connection of its own.
func (t *Transport) awaitDial(ctx context.Context, key connKey) (*altConn, func(), error) {
	for {
		t.mu.Lock()
		if a := t.alts[key]; a != nil && a.Usable() {
			t.mu.Unlock()
			return a, nil, nil
		}
		if t.h1Only[key] {
			t.mu.Unlock()
			return nil, func() {}, nil
		}
		ch, busy := t.dialing[key]
		if !busy {
			ch = make(chan struct{})
			if t.dialing == nil {
				t.dialing = make(map[connKey]chan struct{})
			}
			t.dialing[key] = ch
			t.mu.Unlock()
			return nil, func() {
				t.mu.Lock()
				delete(t.dialing, key)
				t.mu.Unlock()
				close(ch)
			}, nil
		}
		t.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// adopt hands tc, on which the server chose HTTP/2, to H2 and makes the
// result serve key's requests. A connection it replaces (no longer usable,
// perhaps with requests still in flight) is closed by CloseIdle, unless it
// closed itself by then.
func (t *Transport) adopt(key connKey, tc *tls.Conn, gen uint64) (*altConn, error) {
	alt, err := t.H2(tc)
	if err != nil {
		tc.Close()
		return nil, err
	}
	a := &altConn{Alt: alt, tc: tc}
	t.mu.Lock()
	defer t.mu.Unlock()
	if gen != t.gen { // CloseIdle ran meanwhile: this request has the connection to itself
		t.retired = append(t.retired, a)
		return a, nil
	}
	if old := t.alts[key]; old != nil {
		t.retired = slices.DeleteFunc(t.retired, func(r *altConn) bool { return r.Closed() })
		t.retired = append(t.retired, old)
	}
	if t.alts == nil {
		t.alts = make(map[connKey]*altConn)
	}
	t.alts[key] = a
	delete(t.h1Only, key)
	return a, nil
}

// doAlt sends req on the HTTP/2 connection a. A request that fails because
// a kept connection went away (a GOAWAY, a close) is sent again on a new one
// when it may be replayed, as net/http does.
func (t *Transport) doAlt(ctx context.Context, key connKey, a *altConn, req *Request, trace *httptrace.ClientTrace, reused bool) (*Response, error) {
	if trace != nil && trace.GotConn != nil {
		trace.GotConn(httptrace.GotConnInfo{Conn: a.tc, Reused: reused})
	}
	resp, err := a.RoundTrip(req.HTTP(ctx))
	if err == nil {
		return ResponseOf(resp), nil
	}
	if !reused || ctx.Err() != nil || a.Usable() || !replayable(req.Method, req.Header) {
		return nil, err
	}
	t.mu.Lock()
	if t.alts[key] == a {
		delete(t.alts, key)
		t.retired = append(t.retired, a)
	}
	t.mu.Unlock()
	return t.Do(ctx, req)
}
