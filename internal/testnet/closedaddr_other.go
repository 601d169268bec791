//go:build !unix

package testnet

import (
	"net"
	"testing"
)

// ClosedAddr returns a loopback address on which nothing listens: a port found
// free (see closedaddr_unix.go for one that stays so).
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
