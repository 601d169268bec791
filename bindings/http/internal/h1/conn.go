package h1

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"time"
)

// conn is one connection of the pool. It is used by one request at a time: the
// pool hands it out and takes it back.
type conn struct {
	nc        *CountingConn   // the socket, counting its bytes
	rw        net.Conn        // what HTTP is read from and written to: nc, or a TLS connection over it
	br        *bufio.Reader   // reads rw
	head      []byte          // the response head being read, kept for the next one
	watched   context.Context // the context whose end aborts the connection's I/O
	unwatch   func() bool     // stops that
	spans     []headerSpan    // its header lines
	peek      *peeker         // checks the idle socket; nil when it cannot
	write     pendingWrite    // the request writeAwait writes
	awaitFn   func(uintptr) bool
	key       connKey
	idleSince int64  // MonoNow when it went idle
	gen       uint64 // the transport's gen when the connection was made
}

// alive reports whether the server has neither closed c nor sent anything on
// it while it was idle.
func (c *conn) alive() bool {
	return c.br.Buffered() == 0 && c.peek.socketIdle()
}

// aLongTimeAgo is a deadline in the past: setting it aborts blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)

// exchange writes req on c and reads the head of its response. An error
// before the first response byte is a staleError, and so is a 408 on a
// kept-alive connection (reused).
func (t *Transport) exchange(ctx context.Context, c *conn, method string, wire []byte, reused bool, trace *httptrace.ClientTrace) (resp *Response, err error) {
	if err := ctx.Err(); err != nil { // AfterFunc runs f later when ctx is already done
		return nil, err
	}
	n, werr := c.writeAwait(wire, trace)
	if werr != nil {
		// A server may answer before it has read the whole request (a 413 to a
		// large upload) and close: that answer is the response.
		if n == 0 || !c.answeredEarly(ctx) {
			return nil, staleError{err: werr, wrote: n > 0}
		}
	} else if _, err := c.br.Peek(1); err != nil {
		return nil, staleError{err: err, wrote: true}
	}
	if trace != nil && trace.GotFirstResponseByte != nil {
		trace.GotFirstResponseByte()
	}
	for informational := 0; ; informational++ {
		resp, err = c.readResponse(method)
		if err != nil {
			return nil, err
		}
		// An informational answer (100 Continue, 103 Early Hints) comes before
		// the real one; 101 Switching Protocols is final.
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		if informational == maxInformational {
			return nil, fmt.Errorf("more than %d informational (1xx) responses", maxInformational)
		}
	}
	if resp.StatusCode == http.StatusRequestTimeout && reused {
		return nil, staleError{err: errIdle408, wrote: true, unprocessed: true}
	}
	if werr != nil {
		resp.Close = true // the request was not all written: the connection is done
	}
	if resp.Body != &resp.body { // http.NoBody
		t.release(c, ctx, !resp.Close)
		return resp, nil
	}
	resp.body.t, resp.body.ctx, resp.body.reusable = t, ctx, !resp.Close
	return resp, nil
}

// pendingWrite is a request writeAwait writes.
type pendingWrite struct {
	wire  []byte
	trace *httptrace.ClientTrace
	n     int
	err   error
	done  bool
}

// writeAwait writes wire and reports it to trace, and then, unless the write
// failed, returns once the socket has something to read (or cannot be read:
// its read deadline passed, it closed): the response's first read then finds
// the response. Both happen in one RawConn.Read, which resets the socket's
// readiness before it calls its function, so an answer that comes at once,
// before the wait, is not missed. (Read right after the write, as a plain
// Read does, a request's answer is not there yet: that read costs a syscall
// for nothing before the wait.) Without a raw connection, it only writes. The
// function given to Read is made once per connection: a request allocates
// nothing here.
func (c *conn) writeAwait(wire []byte, trace *httptrace.ClientTrace) (int, error) {
	w := &c.write
	*w = pendingWrite{wire: wire, trace: trace}
	if rc := c.peek.rawConn(); rc != nil {
		if c.awaitFn == nil {
			c.awaitFn = c.awaitStep
		}
		_ = rc.Read(c.awaitFn)
	}
	if !w.done { // no raw connection, or Read refused at once (a deadline passed): the write says why
		c.writeNow()
	}
	n, err := w.n, w.err
	*w = pendingWrite{}
	return n, err
}

// awaitStep is writeAwait's function for RawConn.Read: the write on its
// first call (which returns false: wait for the answer), and on the next,
// once the socket is readable, the first read of the answer: a plain
// connection's into br, a TLS connection's into the connection's prefetch
// buffer, which the TLS layer reads first. Both are raw system calls where the
// system has them (see sysIO); a read that finds nothing after all waits
// again.
func (c *conn) awaitStep(fd uintptr) bool {
	s := &c.nc.sys
	if !c.write.done {
		s.fd, s.write = fd, sysIOWorks
		c.writeNow()
		s.write = false
		return c.write.err != nil
	}
	if !sysIOWorks {
		return true
	}
	var err error
	if c.rw == net.Conn(c.nc) {
		s.fd, s.reading = fd, true
		_, err = c.br.Peek(1)
		s.reading = false
	} else {
		err = s.prefetch(c.nc, fd)
	}
	return err != errWouldBlock
}

func (c *conn) writeNow() {
	w := &c.write
	w.n, w.err = c.rw.Write(w.wire)
	w.done = true
	if w.trace != nil && w.trace.WroteRequest != nil {
		w.trace.WroteRequest(httptrace.WroteRequestInfo{Err: w.err})
	}
}

// answeredEarly reports whether a response has come on c, waiting for it a
// little: the request could not be written whole.
func (c *conn) answeredEarly(ctx context.Context) bool {
	_ = c.nc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	_, err := c.br.Peek(1)
	_ = c.nc.SetReadDeadline(time.Time{})
	return err == nil && ctx.Err() == nil // a cancellation's deadline may have been cleared: the connection is closed then
}

// watch makes the end of ctx abort c's I/O, and reports whether c is usable.
// A caller's requests (a VU's) usually share one context until it ends, so the
// watch set up by the connection's first request serves all the later ones:
// most requests register nothing with their context.
func (c *conn) watch(ctx context.Context) bool {
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
func (c *conn) close() {
	if c.unwatch != nil {
		c.unwatch()
		c.unwatch, c.watched = nil, nil
	}
	c.nc.Close() // under TLS too: no close_notify, which could block on a peer that reads nothing
}
