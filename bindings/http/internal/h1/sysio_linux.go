//go:build linux

package h1

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// sysIO makes a pool connection's reads and writes raw system calls on its
// socket for the span of conn.awaitStep, which runs inside RawConn.Read: the
// socket's read lock is held there (it cannot be closed under the call) and
// the socket is non-blocking, so a call cannot block. Such a call skips what
// Go's runtime does around one that might block (entersyscall, exitsyscall),
// the net and poll layers' locks and readiness resets, and above all the
// hand-off of the processor to another thread that the runtime's monitor makes
// when it finds a goroutine in a system call with others waiting to run (on
// loopback, a write also delivers the segment to the server: it takes
// microseconds). Measured on a plain keep-alive GET on loopback with 50 VUs on
// one core: 12 % less CPU per request (11 % over TLS), and half the context
// switches. The write of the request and the first read of the response are
// made so; the rest go through the net.Conn. A plain response's first read is
// made into the connection's bufio.Reader; a TLS one into the connection's own
// buffer (pend), which the TLS layer's next reads take first, as the TLS layer
// would keep the error of a read that finds nothing after all.
//
// No library makes these calls: x/sys/unix's Read and Write, as syscall's,
// take the runtime's blocking-call path; here they are syscall.RawSyscall.
type sysIO struct {
	fd             uintptr
	reading, write bool   // raw reads (plain sockets only) and writes may be made
	err            error  // a raw read's error, returned by the next Read
	buf            []byte // what prefetch reads into, made at its first read
	pend           []byte // what prefetch read and Read has not returned yet
}

// prefetchSize is the size of a connection's prefetch buffer: a small answer,
// in its TLS records, whole.
const prefetchSize = 4 << 10

// prefetch reads what has come on the socket into s.pend, the next Read's
// bytes; errWouldBlock when nothing has. Bytes already pending are left to be
// read first.
func (s *sysIO) prefetch(c *CountingConn, fd uintptr) error {
	if len(s.pend) > 0 {
		return nil
	}
	if s.buf == nil {
		s.buf = make([]byte, prefetchSize)
	}
	s.fd = fd
	n, err := s.read(c, s.buf)
	s.pend = s.buf[:n]
	return err
}

// sysIOWorks says that raw I/O is made on this system.
const sysIOWorks = true

// errWouldBlock is a raw read's error when nothing can be read yet.
var errWouldBlock = errors.New("h1: socket not readable yet")

// read reads p from the socket with one read(2), counting the bytes in c.
func (s *sysIO) read(c *CountingConn, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, s.fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		switch e {
		case 0:
			if n == 0 {
				s.err = io.EOF
				return 0, io.EOF
			}
			c.read.Add(int64(n))
			return int(n), nil
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return 0, errWouldBlock
		}
		s.err = opError(c, "read", e) // as net.Conn.Read words it
		return 0, s.err
	}
}

// writeSome writes p to the socket with one write(2), counting the bytes in
// c; the rest, when the socket's buffer took only part, is for the net.Conn to
// write (it waits for room). The error is a failed write's, as net.Conn.Write
// words it.
func (s *sysIO) writeSome(c *CountingConn, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, s.fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		switch e {
		case 0:
			c.written.Add(int64(n))
			return int(n), nil
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return 0, nil
		}
		return 0, opError(c, "write", e)
	}
}

// opError is e as the net package returns a failed call of op on c.
func opError(c *CountingConn, op string, e syscall.Errno) error {
	la := c.LocalAddr()
	return &net.OpError{Op: op, Net: la.Network(), Source: la, Addr: c.RemoteAddr(), Err: os.NewSyscallError(op, e)}
}
