//go:build unix

package h1

import (
	"net"
	"syscall"
)

// peeker checks a connection's socket for a close by the server (or bytes it
// sent unasked) without blocking: one recv(MSG_PEEK|MSG_DONTWAIT) syscall. The
// raw connection and the function handed to it are made once per connection,
// so a check allocates nothing.
type peeker struct {
	rc   syscall.RawConn
	fn   func(fd uintptr)
	idle bool
	buf  [1]byte
}

// newPeeker returns the peeker of nc's socket, or nil when nc is not a socket.
func newPeeker(nc net.Conn) *peeker {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	p := &peeker{rc: rc}
	p.fn = func(fd uintptr) {
		n, _, err := syscall.Recvfrom(int(fd), p.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		p.idle = n < 0 && (err == syscall.EAGAIN || err == syscall.EWOULDBLOCK)
	}
	return p
}

// socketIdle reports whether nothing can be read from the socket (no data, no
// end of stream). A nil peeker, or a socket that cannot be reached, counts as
// idle.
func (p *peeker) socketIdle() bool {
	if p == nil {
		return true
	}
	p.idle = true
	if err := p.rc.Control(p.fn); err != nil {
		return true
	}
	return p.idle
}

// rawConn is the socket's raw connection, for writeAwait; nil for a nil
// peeker.
func (p *peeker) rawConn() syscall.RawConn {
	if p == nil {
		return nil
	}
	return p.rc
}
