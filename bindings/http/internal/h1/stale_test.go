package h1

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// closingServer answers one request per connection (Content-Length, no
// "Connection: close") and closes it; closed gets a value after each close.
func closingServer(t *testing.T, closed chan<- struct{}) *rawServer {
	return newRawServer(t, func(n int, c net.Conn) {
		defer func() { closed <- struct{}{} }()
		defer c.Close()
		if _, err := readRawRequest(bufio.NewReader(c)); err != nil {
			return
		}
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn%d", n)
	})
}

// staleConn returns a closingServer and a transport whose pool holds the
// connection of one GET, which the server has since closed.
func staleConn(t *testing.T) (*rawServer, *Transport) {
	closed := make(chan struct{}, 10)
	srv := closingServer(t, closed)
	tr := &Transport{}
	t.Cleanup(tr.CloseIdle)
	if _, body := mustGet(t, tr, srv.url("/")); body != "conn1" {
		t.Fatalf("body %q", body)
	}
	waitFor(t, closed, "the server to close")
	return srv, tr
}

func TestStaleKeepAliveGet(t *testing.T) {
	t.Parallel()
	srv, tr := staleConn(t)
	// Reused at once, as under load: the GET finds the close by failing, not by
	// the check of a connection idle for long.
	markIdleSince(tr, time.Now())
	if _, body := mustGet(t, tr, srv.url("/")); body != "conn2" {
		t.Errorf("GET on a connection the server closed: body %q, want conn2 (retried on a new connection)", body)
	}
	if n := srv.accepted.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestStaleKeepAlivePost(t *testing.T) {
	t.Parallel()
	srv, tr := staleConn(t)
	// Reused at once, as under load (a connection idle for longer than
	// checkAfter is checked first and would not be used: see
	// TestStaleKeepAlivePostAfterIdle), however long the machine took to get
	// here. The server sent a FIN: the write succeeds, the read finds the end. A
	// POST written is not sent again.
	markIdleSince(tr, time.Now())
	// The read finds the end at once; the deadline only stops a transport that
	// waits for an answer from hanging the test, and shows as ctx.Err below.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.url("/"), strings.NewReader("data"))
	resp, err := tr.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("POST on a connection the server closed succeeded (status %d); want an error: it was written", resp.StatusCode)
	}
	if ctx.Err() != nil || !(errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)) {
		t.Errorf("POST error %v, want the end of the connection", err)
	}
	if n := srv.accepted.Load(); n != 1 {
		t.Errorf("%d connections, want 1: a written POST is not retried", n)
	}
}

// A connection idle for longer than checkAfter is checked before reuse: a
// POST after the server's keep-alive timeout goes on a new connection.
func TestStaleKeepAlivePostAfterIdle(t *testing.T) {
	t.Parallel()
	srv, tr := staleConn(t)
	markIdleSince(tr, time.Now().Add(-checkAfter)) // as if the script had slept
	if _, body := mustDo(t, tr, http.MethodPost, srv.url("/"), strings.NewReader("data"), nil); body != "conn2" {
		t.Errorf("POST after the server closed the idle connection: body %q, want conn2", body)
	}
}
