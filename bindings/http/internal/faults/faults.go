// Package faults is a misbehaving HTTP/1.1 server for the tests of jsload's HTTP
// client: the faults met against real servers, on demand. It is test support:
// only tests import it.
//
// Its paths:
//
//	/ok                200, a 2-byte body (any unknown path too)
//	/endless           200, a chunked body that never ends
//	/bomb?mib=N        200, Content-Encoding gzip: a few KiB per MiB on the wire that
//	                   inflate to N MiB of zeros (N gzip members of 1 MiB each)
//	/reset             promises 1000 bytes, sends 100 and resets the connection
//	/hang              reads the request and never answers (until the client goes)
//
// and, per connection (Config): an idle keep-alive connection closed after
// IdleClose, with a 408 Request Timeout sent first (Answer408) as some servers
// do; the DropRequest-th request of each connection read and left unanswered,
// the connection closed, as when a server's keep-alive timeout fires just as a
// request arrives.
//
// Responses are written by hand, byte by byte, so that each fault is exactly
// what the tests ask, whatever net/http's server would do.
package faults

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Config sets the faults of a Target's connections.
type Config struct {
	// IdleClose closes a kept-alive connection that waited this long for its
	// next request; 0 never does.
	IdleClose time.Duration
	// Answer408 sends "408 Request Timeout" (Connection: close) before that
	// close, as Apache and some proxies do.
	Answer408 bool
	// DropRequest, when above 0, is the number of the request of each
	// connection (1 for its first) that is read and not answered: the
	// connection is closed instead.
	DropRequest int
}

// Target is a running fault server on 127.0.0.1. Its counters may be read at
// any time; it stops when the test ends.
type Target struct {
	cfg Config
	ln  net.Listener
	wg  sync.WaitGroup

	// Accepted counts the connections, Requests the requests read.
	Accepted, Requests atomic.Int32

	idleClosed chan struct{}
	mu         sync.Mutex
	conns      map[net.Conn]struct{}
	done       bool
}

// Start starts a Target, closed (its connections and goroutines ended) when tb
// ends.
func Start(tb testing.TB, cfg Config) *Target {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	t := &Target{cfg: cfg, ln: ln, idleClosed: make(chan struct{}, 1000), conns: map[net.Conn]struct{}{}}
	t.wg.Add(1)
	go t.accept()
	tb.Cleanup(t.close)
	return t
}

// URL returns the target's URL of path ("/ok").
func (t *Target) URL(path string) string { return "http://" + t.ln.Addr().String() + path }

// Addr is the target's host:port.
func (t *Target) Addr() string { return t.ln.Addr().String() }

// IdleClosed receives a value each time the target closes an idle connection
// (after its 408 when Answer408).
func (t *Target) IdleClosed() <-chan struct{} { return t.idleClosed }

func (t *Target) accept() {
	defer t.wg.Done()
	for {
		c, err := t.ln.Accept()
		if err != nil {
			return
		}
		t.Accepted.Add(1)
		t.mu.Lock()
		if t.done {
			t.mu.Unlock()
			c.Close()
			return
		}
		t.conns[c] = struct{}{}
		t.wg.Add(1)
		t.mu.Unlock()
		go func() {
			defer t.wg.Done()
			t.serve(c)
			c.Close()
			t.mu.Lock()
			delete(t.conns, c)
			t.mu.Unlock()
		}()
	}
}

func (t *Target) close() {
	t.ln.Close()
	t.mu.Lock()
	t.done = true
	for c := range t.conns {
		c.Close()
	}
	t.mu.Unlock()
	t.wg.Wait()
}

// serve reads the requests of one connection and answers them.
func (t *Target) serve(c net.Conn) {
	br := bufio.NewReader(c)
	for n := 1; ; n++ {
		if n > 1 && t.cfg.IdleClose > 0 {
			_ = c.SetReadDeadline(time.Now().Add(t.cfg.IdleClose))
		}
		req, err := http.ReadRequest(br)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				if t.cfg.Answer408 {
					_, _ = io.WriteString(c, "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
				}
				_ = c.Close() // before telling: a test goes on as soon as it hears
				t.idleClosed <- struct{}{}
			}
			return
		}
		_ = c.SetReadDeadline(time.Time{})
		_, _ = io.Copy(io.Discard, req.Body)
		t.Requests.Add(1)
		if n == t.cfg.DropRequest {
			return
		}
		if !t.answer(c, req) {
			return
		}
	}
}

// answer writes the response to req; false ends the connection.
func (t *Target) answer(c net.Conn, req *http.Request) bool {
	var err error
	switch req.URL.Path {
	case "/endless":
		endless(c)
		return false
	case "/bomb":
		mib, _ := strconv.Atoi(req.URL.Query().Get("mib"))
		err = bomb(c, mib)
	case "/reset":
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
		_, _ = c.Write(make([]byte, 100))
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST
		}
		return false
	case "/hang":
		_, _ = io.Copy(io.Discard, c) // until the client closes, or the target does
		return false
	default:
		_, err = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	}
	return err == nil
}

// endless writes a chunked body until the client goes away.
func endless(c net.Conn) {
	if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"); err != nil {
		return
	}
	chunk := append(fmt.Appendf(nil, "%x\r\n", 32<<10), bytes.Repeat([]byte("x"), 32<<10)...)
	chunk = append(chunk, "\r\n"...)
	for {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

// bomb writes a gzip body that inflates to mib MiB of zeros.
func bomb(c net.Conn, mib int) error {
	member := gzipMember()
	if _, err := fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", len(member)*mib); err != nil {
		return err
	}
	for range mib {
		if _, err := c.Write(member); err != nil {
			return err
		}
	}
	return nil
}

// gzipMember is one gzip member of 1 MiB of zeros; members one after another
// are one gzip stream (RFC 1952 2.2).
var gzipMember = sync.OnceValue(func() []byte {
	return Encode("gzip", make([]byte, 1<<20))
})

// Encode returns b encoded in coding: "gzip", "deflate" (zlib, as RFC 9110
// means it), "br" or "zstd".
func Encode(coding string, b []byte) []byte {
	var out bytes.Buffer
	w := encoder(coding, &out)
	_, _ = w.Write(b)
	_ = w.Close()
	return out.Bytes()
}
