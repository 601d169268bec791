//go:build !unix

package http_test

import (
	"net"
	"testing"
)

// closedAddr returns a loopback address on which nothing listens: a port found
// free (see closedaddr_unix_test.go for one that stays so).
func closedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
