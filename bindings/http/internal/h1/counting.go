package h1

import (
	"net"
	"sync/atomic"
)

// CountingConn is a connection that counts the bytes read from it and written to
// it, headers included: what a request carried is the difference of the counters
// before and after it. Every connection of a Transport is one; the binding wraps
// the connections of its net/http pools in one too.
//
// The counters are atomics: net/http reads and writes on goroutines of its own
// while the request's goroutine reads them.
type CountingConn struct {
	net.Conn
	read, written atomic.Int64
	sys           sysIO // raw I/O while the pool's connection awaits an answer (see conn.awaitStep)
}

// NewCountingConn wraps c.
func NewCountingConn(c net.Conn) *CountingConn { return &CountingConn{Conn: c} }

// Read implements net.Conn, counting what it read.
func (c *CountingConn) Read(p []byte) (int, error) {
	if c.sys.reading {
		return c.sys.read(c, p)
	}
	if len(c.sys.pend) > 0 { // read by sysIO.prefetch, counted then
		n := copy(p, c.sys.pend)
		c.sys.pend = c.sys.pend[n:]
		return n, nil
	}
	if err := c.sys.err; err != nil { // the raw read's, again: bufio.Reader returns an error once
		c.sys.err = nil
		return 0, err
	}
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// Write implements net.Conn, counting what it wrote.
func (c *CountingConn) Write(p []byte) (int, error) {
	done := 0
	if c.sys.write {
		n, err := c.sys.writeSome(c, p)
		if err != nil || n == len(p) {
			return n, err
		}
		done, p = n, p[n:]
	}
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return done + n, err
}

// BytesRead is how many bytes were read from the connection so far.
func (c *CountingConn) BytesRead() int64 { return c.read.Load() }

// BytesWritten is how many bytes were written to the connection so far.
func (c *CountingConn) BytesWritten() int64 { return c.written.Load() }

// CountingConnOf finds the CountingConn under a connection handed out by a
// transport (plain, or wrapped in TLS, as httptrace.GotConnInfo.Conn gives it);
// nil when there is none (a proxy's connection, say).
func CountingConnOf(c net.Conn) *CountingConn {
	for range 3 {
		switch x := c.(type) {
		case *CountingConn:
			return x
		case interface{ NetConn() net.Conn }:
			c = x.NetConn()
		default:
			return nil
		}
	}
	return nil
}
