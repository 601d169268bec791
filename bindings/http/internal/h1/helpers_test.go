package h1

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain fails the tests when a goroutine outlives them: the transport starts
// none, and the test servers stop theirs when their test ends.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// connStats counts a test server's connections through its ConnState hook.
type connStats struct {
	opened atomic.Int32  // StateNew
	closed atomic.Int32  // StateClosed
	closes chan struct{} // one value per StateClosed
}

// newServer starts an httptest server on 127.0.0.1 that counts its connections.
func newServer(t *testing.T, h http.Handler) (*httptest.Server, *connStats) {
	t.Helper()
	st := &connStats{closes: make(chan struct{}, 100)}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			st.opened.Add(1)
		case http.StateClosed:
			st.closed.Add(1)
			select {
			case st.closes <- struct{}{}:
			default:
			}
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, st
}

// h1Get makes a GET with tr and returns the response and its whole body, closed.
func mustGet(t *testing.T, tr *Transport, url string) (*http.Response, string) {
	t.Helper()
	return mustDo(t, tr, http.MethodGet, url, nil, nil)
}

// h1Do makes a request with tr, reads its body to the end and closes it.
func mustDo(t *testing.T, tr *Transport, method, url string, body io.Reader, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatalf("%s %s: close body: %v", method, url, err)
	}
	return resp, string(b)
}

// rawServer is a TCP server on 127.0.0.1 whose handler writes bytes as it likes.
type rawServer struct {
	ln       net.Listener
	accepted atomic.Int32
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
	done     bool
}

// newRawServer calls handle on its own goroutine for every connection, with the
// connection's number (1 for the first); the connection is closed when it returns
// and when the test ends.
func newRawServer(t *testing.T, handle func(n int, c net.Conn)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := int(s.accepted.Add(1))
			s.mu.Lock()
			if s.done {
				s.mu.Unlock()
				c.Close()
				return
			}
			s.conns = append(s.conns, c)
			s.wg.Add(1)
			s.mu.Unlock()
			go func() {
				defer s.wg.Done()
				defer c.Close()
				handle(n, c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		s.done = true
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) url(path string) string { return "http://" + s.ln.Addr().String() + path }

// readRawRequest reads one request's bytes as they came: its head and the body
// its Content-Length announces.
func readRawRequest(br *bufio.Reader) (string, error) {
	var b strings.Builder
	length := 0
	for {
		line, err := br.ReadString('\n')
		b.WriteString(line)
		if err != nil {
			return b.String(), err
		}
		if line == "\r\n" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-Length") {
			if length, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
				return b.String(), err
			}
		}
	}
	body := make([]byte, length)
	_, err := io.ReadFull(br, body)
	b.Write(body)
	return b.String(), err
}

// serveKeepAlive answers every request on c with response until the client
// closes it.
func serveKeepAlive(c net.Conn, response string) {
	br := bufio.NewReader(c)
	for {
		if _, err := readRawRequest(br); err != nil {
			return
		}
		if _, err := io.WriteString(c, response); err != nil {
			return
		}
	}
}

// waitFor waits for a value on ch. The events waited for follow from what the
// test did; the 30 s only stop a broken transport from hanging the test, however
// slow the machine.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// markIdleSince sets when tr's idle connections went idle: now for a
// connection reused at once, however long the machine took to get there.
func markIdleSince(tr *Transport, at time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, l := range tr.idle {
		for _, c := range l.conns {
			c.idleSince = int64(at.Sub(monoEpoch))
		}
	}
}

// hangUntil is how long a server of the tests below holds a request back when
// the client does not go away: a transport that ignores its context then gets an
// answer and fails the test instead of hanging it. It is far longer than the
// bounds the tests put on "promptly", which are themselves generous, so that a
// busy machine does not fail them.
const hangUntil = 30 * time.Second

// promptly bounds how long a cancelled or timed-out exchange may take to return.
// A few milliseconds are expected; the bound only has to tell "returned on the
// cancellation" from "waited for the server's answer" (hangUntil).
const promptly = 5 * time.Second

// hangingHandler answers nothing until the client goes away (or hangUntil).
var hangingHandler = http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(hangUntil):
	}
})
