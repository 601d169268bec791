//go:build unix

package h1

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// waitPeerGone waits until the one idle connection of tr has seen the server's
// reset, peeking at its socket as the check before reuse does (which needs a
// unix socket, hence this file): the next write on it then fails at once.
func waitPeerGone(t *testing.T, tr *Transport) {
	t.Helper()
	tr.mu.Lock()
	var c *conn
	for _, l := range tr.idle {
		if len(l.conns) == 1 && c == nil {
			c = l.conns[0]
		}
	}
	tr.mu.Unlock()
	if c == nil {
		t.Fatal("no idle connection in the pool")
	}
	for start := time.Now(); c.peek.socketIdle(); time.Sleep(time.Millisecond) {
		if time.Since(start) > 30*time.Second { // only against a hang
			t.Fatal("the client never saw the server's reset")
		}
	}
}

// A POST on a kept-alive connection the server reset goes on a new
// connection, its body with it.
func TestStaleKeepAlivePostWriteFailed(t *testing.T) {
	t.Parallel()
	reset := make(chan struct{})
	resetDone := make(chan struct{})
	bodies := make(chan string, 10)
	srv := newRawServer(t, func(n int, c net.Conn) {
		br := bufio.NewReader(c)
		raw, err := readRawRequest(br)
		if err != nil {
			return
		}
		_, body, _ := strings.Cut(raw, "\r\n\r\n")
		bodies <- body
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn%d", n)
		if n == 1 {
			<-reset
			_ = c.(*net.TCPConn).SetLinger(0) // close with a RST: the client's next write fails
			c.Close()
			close(resetDone)
		}
	})
	tr := &Transport{}
	defer tr.CloseIdle()
	if _, body := mustGet(t, tr, srv.url("/")); body != "conn1" {
		t.Fatalf("body %q", body)
	}
	<-bodies
	close(reset)
	waitFor(t, resetDone, "the server to reset the connection")
	waitPeerGone(t, tr)
	markIdleSince(tr, time.Now())
	resp, body := mustDo(t, tr, http.MethodPost, srv.url("/"), strings.NewReader("data"), nil)
	if resp.StatusCode != 200 || body != "conn2" {
		t.Errorf("POST whose write failed: %d %q, want 200 conn2 (retried on a new connection)", resp.StatusCode, body)
	}
	if got := <-bodies; got != "data" {
		t.Errorf("the retried POST sent body %q, want data", got)
	}
	if n := srv.accepted.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}
