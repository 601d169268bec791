//go:build !unix

package h1

import "net"

// socketIdle cannot peek at a socket here: a connection the server closed is
// found when a request fails on it (idempotent requests are then retried).
func socketIdle(net.Conn) bool { return true }
