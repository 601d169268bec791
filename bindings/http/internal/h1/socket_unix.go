//go:build unix

package h1

import (
	"net"
	"syscall"
)

// socketIdle reports whether nothing can be read from nc (no data, no end of
// stream), with a non-blocking peek at the socket. Connections that are not
// sockets count as idle.
func socketIdle(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	idle := true
	_ = rc.Control(func(fd uintptr) {
		var b [1]byte
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		idle = n < 0 && (err == syscall.EAGAIN || err == syscall.EWOULDBLOCK)
	})
	return idle
}
