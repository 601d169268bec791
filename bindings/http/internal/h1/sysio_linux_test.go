//go:build linux

package h1

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// socketConn returns a pool connection over a TCP connection to a fresh
// listener, and the server's end of it.
func socketConn(t *testing.T) (*conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	cc := NewCountingConn(nc)
	c := &conn{nc: cc, rw: cc, br: bufio.NewReader(cc), peek: newPeeker(nc)}
	t.Cleanup(func() { c.close(); srv.Close() })
	return c, srv
}

// step runs awaitStep as RawConn.Read runs it, with the socket's read lock
// held, once.
func step(t *testing.T, c *conn) bool {
	t.Helper()
	var ready bool
	if err := c.peek.rawConn().Control(func(fd uintptr) { ready = c.awaitStep(fd) }); err != nil {
		t.Fatal(err)
	}
	return ready
}

// stepUntilReady runs awaitStep until it is done: the peer's bytes, or its
// close, cross loopback at their own pace. The 30 s only stop a broken
// awaitStep from hanging the test.
func stepUntilReady(t *testing.T, c *conn) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); !step(t, c); {
		if time.Now().After(end) {
			t.Fatal("awaitStep never found the socket readable")
		}
		time.Sleep(time.Millisecond)
	}
}

// A wake-up with nothing to read (readiness the socket no longer has) waits
// again, leaving nothing behind in the connection's reader; the answer that
// comes after is read raw, and counted.
func TestAwaitStepNothingToRead(t *testing.T) {
	c, srv := socketConn(t)
	c.write.done = true
	if step(t, c) {
		t.Fatal("awaitStep was done with nothing to read")
	}
	if n := c.br.Buffered(); n != 0 || c.nc.sys.err != nil {
		t.Fatalf("after a read that found nothing: %d bytes buffered, error %v", n, c.nc.sys.err)
	}
	const answer = "HTTP/1.1 204 No Content\r\n\r\n"
	if _, err := io.WriteString(srv, answer); err != nil {
		t.Fatal(err)
	}
	stepUntilReady(t, c)
	got, err := c.br.Peek(len(answer))
	if err != nil || string(got) != answer {
		t.Fatalf("read %q, %v; want %q", got, err, answer)
	}
	if n := c.nc.BytesRead(); n != int64(len(answer)) {
		t.Fatalf("BytesRead = %d, want %d", n, len(answer))
	}
}

// A raw read's failure is the error net.Conn.Read would have given, returned by
// the reader's next read too (bufio.Reader hands an error out once).
func TestAwaitStepReadErrors(t *testing.T) {
	t.Run("reset", func(t *testing.T) {
		c, srv := socketConn(t)
		_ = srv.(*net.TCPConn).SetLinger(0) // the close sends a reset
		srv.Close()
		c.write.done = true
		stepUntilReady(t, c)
		_, err := c.br.Peek(1)
		var op *net.OpError
		if !errors.Is(err, syscall.ECONNRESET) || !errors.As(err, &op) || op.Op != "read" {
			t.Fatalf("read error %#v, want a net.OpError of read wrapping ECONNRESET", err)
		}
		want := "read tcp " + c.nc.LocalAddr().String() + "->" + c.nc.RemoteAddr().String() + ": read: connection reset by peer"
		if err.Error() != want {
			t.Fatalf("read error %q, want %q", err, want)
		}
	})
	t.Run("closed", func(t *testing.T) {
		c, srv := socketConn(t)
		srv.Close()
		c.write.done = true
		stepUntilReady(t, c)
		if _, err := c.br.Peek(1); err != io.EOF {
			t.Fatalf("read error %v, want io.EOF", err)
		}
	})
}

// A request larger than the socket's buffer takes is written raw in part and
// the rest through the connection, whole and in order, and counted once.
func TestLargeRequestWrittenWhole(t *testing.T) {
	srv := newRawServer(t, func(_ int, c net.Conn) {
		br := bufio.NewReader(c)
		for {
			req, err := readRawRequest(br)
			if err != nil {
				return
			}
			_, body, _ := strings.Cut(req, "\r\n\r\n")
			sum := 0
			for i := range len(body) {
				sum = (sum*31 + int(body[i])) % 1000003
			}
			reply := strconv.Itoa(len(body)) + " " + strconv.Itoa(sum)
			if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: "+strconv.Itoa(len(reply))+"\r\n\r\n"+reply); err != nil {
				return
			}
		}
	})
	tr := &Transport{}
	defer tr.CloseIdle()
	body := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz"), 8<<20/36)
	sum := 0
	for _, b := range body {
		sum = (sum*31 + int(b)) % 1000003
	}
	want := strconv.Itoa(len(body)) + " " + strconv.Itoa(sum)
	for range 2 { // a new connection, then the same one again
		_, got := mustDo(t, tr, http.MethodPost, srv.url("/up"), bytes.NewReader(body), nil)
		if got != want {
			t.Fatalf("the server got %q, want %q", got, want)
		}
	}
	if n := srv.accepted.Load(); n != 1 {
		t.Fatalf("%d connections, want 1 (kept alive)", n)
	}
	tr.mu.Lock()
	c := tr.idle[connKey{addr: srv.ln.Addr().String()}].conns[0]
	tr.mu.Unlock()
	if n, min := c.nc.BytesWritten(), int64(2*len(body)); n < min || n > min+2048 {
		t.Fatalf("BytesWritten = %d, want the two bodies (%d) and their heads", n, min)
	}
}

// Under TLS (any connection between br and the socket), the answer's first
// read goes into the connection's prefetch buffer, which its next reads return
// first, counted once; a wake-up with nothing to read waits again.
func TestAwaitStepPrefetch(t *testing.T) {
	c, srv := socketConn(t)
	c.rw = struct{ net.Conn }{c.nc} // stands for the TLS layer
	c.br = bufio.NewReader(c.rw)
	c.write.done = true
	if step(t, c) {
		t.Fatal("awaitStep was done with nothing to read")
	}
	if n := len(c.nc.sys.pend); n != 0 {
		t.Fatalf("%d bytes pending after a read that found nothing", n)
	}
	const answer = "a TLS record, say"
	if _, err := io.WriteString(srv, answer); err != nil {
		t.Fatal(err)
	}
	stepUntilReady(t, c)
	if got := string(c.nc.sys.pend); got != answer {
		t.Fatalf("prefetched %q, want %q", got, answer)
	}
	got := make([]byte, 5)
	if n, err := c.nc.Read(got); err != nil || string(got[:n]) != answer[:5] {
		t.Fatalf("first read %q, %v; want %q", got[:n], err, answer[:5])
	}
	srv.Close()
	rest, err := io.ReadAll(c.nc)
	if err != nil || string(rest) != answer[5:] {
		t.Fatalf("the rest read %q, %v; want %q", rest, err, answer[5:])
	}
	if n := c.nc.BytesRead(); n != int64(len(answer)) {
		t.Fatalf("BytesRead = %d, want %d", n, len(answer))
	}
}
