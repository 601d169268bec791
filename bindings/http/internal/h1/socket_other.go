//go:build !unix

package h1

import (
	"net"
	"syscall"
)

// peeker cannot peek at a socket here: a connection the server closed is found
// when a request fails on it (replayable requests are then retried).
type peeker struct{}

func newPeeker(net.Conn) *peeker { return nil }

func (*peeker) socketIdle() bool { return true }

// rawConn is nil here: writeAwait only writes.
func (*peeker) rawConn() syscall.RawConn { return nil }
