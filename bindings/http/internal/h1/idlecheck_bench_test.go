package h1

import (
	"bufio"
	"net"
	"testing"
)

// BenchmarkIdleCheck measures the check an idle connection gets before reuse
// (conn.alive: one non-blocking peek at its socket), which every request on a
// kept-alive connection pays.
func BenchmarkIdleCheck(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	defer (<-accepted).Close()
	c := &conn{nc: NewCountingConn(nc), peek: newPeeker(nc)}
	c.br = bufio.NewReader(c.nc)
	b.ReportAllocs()
	for b.Loop() {
		if !c.alive() {
			b.Fatal("an open idle connection reads as closed")
		}
	}
}
