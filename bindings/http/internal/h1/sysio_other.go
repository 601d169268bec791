//go:build !linux

package h1

import "errors"

// sysIO is not used on this system (sysIOWorks): pool connections read and
// write through the net.Conn alone.
type sysIO struct {
	fd             uintptr
	reading, write bool
	err            error
	pend           []byte
}

const sysIOWorks = false

var errWouldBlock = errors.New("h1: socket not readable yet")

func (s *sysIO) read(*CountingConn, []byte) (int, error) { return 0, errors.ErrUnsupported }

func (s *sysIO) prefetch(*CountingConn, uintptr) error { return nil }

func (s *sysIO) writeSome(*CountingConn, []byte) (int, error) { return 0, nil }
