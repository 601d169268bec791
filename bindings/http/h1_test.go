package http

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// h1Stats counts a test server's connections through its ConnState hook.
type h1Stats struct {
	opened atomic.Int32  // StateNew
	closed atomic.Int32  // StateClosed
	closes chan struct{} // one value per StateClosed
}

// newH1Server starts an httptest server on 127.0.0.1 that counts its connections.
func newH1Server(t *testing.T, h http.Handler) (*httptest.Server, *h1Stats) {
	t.Helper()
	st := &h1Stats{closes: make(chan struct{}, 100)}
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
func h1Get(t *testing.T, tr *h1Transport, url string) (*http.Response, string) {
	t.Helper()
	return h1Do(t, tr, http.MethodGet, url, nil, nil)
}

// h1Do makes a request with tr, reads its body to the end and closes it.
func h1Do(t *testing.T, tr *h1Transport, method, url string, body io.Reader, header http.Header) (*http.Response, string) {
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

// markIdleSince sets when tr's idle connections went idle. A test that means a
// connection to be reused at once, without the check before reuse (see
// h1CheckAfter), sets now, however long the machine took to get there.
func markIdleSince(tr *h1Transport, at time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, list := range tr.idle {
		for _, c := range list {
			c.idleSince = at
		}
	}
}

func TestH1ReuseSequential(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Query().Get("i"))
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	for i := range 20 {
		resp, body := h1Get(t, tr, fmt.Sprintf("%s/?i=%d", srv.URL, i))
		if resp.StatusCode != 200 || body != fmt.Sprintf("hello %d", i) {
			t.Fatalf("request %d: %d %q", i, resp.StatusCode, body)
		}
	}
	if n := st.opened.Load(); n != 1 {
		t.Errorf("20 sequential GETs used %d connections, want 1", n)
	}
}

func TestH1ReuseAfterUnreadSmallBody(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello")
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	for range 3 {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close() // unread, but already received whole
	}
	if _, body := h1Get(t, tr, srv.URL); body != "hello" {
		t.Errorf("body %q, want hello", body)
	}
	if n := st.opened.Load(); n != 1 {
		t.Errorf("bodies closed unread but received whole: %d connections, want 1", n)
	}
}

func TestH1EarlyCloseOfLargeBody(t *testing.T) {
	t.Parallel()
	const size = 8 << 20
	released := make(chan struct{})
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/big" {
			_, _ = io.WriteString(w, "small")
			return
		}
		// The first 64 KiB of the announced size, and nothing more until the
		// client goes away (or the test ends): a Close that drained the body
		// would not return.
		w.Header().Set("Content-Length", strconv.Itoa(size))
		_, _ = w.Write(bytes.Repeat([]byte("x"), 64<<10))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-released:
		}
	}))
	t.Cleanup(func() { close(released) }) // before the server's Close, which waits for the handler
	tr := &h1Transport{}
	defer tr.closeIdle()
	if _, body := h1Get(t, tr, srv.URL+"/small"); body != "small" {
		t.Fatalf("body %q", body)
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/big", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ContentLength != size {
		t.Errorf("ContentLength %d, want %d", resp.ContentLength, size)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	// Not a time limit on Close (a busy machine can take any time): the server
	// holds the rest of the body back, so only a Close that does not drain it
	// returns. The 30 s only stop a draining Close from hanging the test.
	closed := make(chan struct{})
	go func() {
		resp.Body.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("Close of a large unread body waits for the rest of it: it should not drain it")
	}
	if _, body := h1Get(t, tr, srv.URL+"/small"); body != "small" {
		t.Errorf("after an early close: body %q, want small", body)
	}
	if n := st.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the one of the unfinished body is not reused)", n)
	}
}

func TestH1Chunked(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for i := range 5 {
			fmt.Fprintf(w, "part%d;", i)
			w.(http.Flusher).Flush()
		}
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	for i := range 3 {
		resp, body := h1Get(t, tr, srv.URL)
		if body != "part0;part1;part2;part3;part4;" {
			t.Fatalf("request %d: body %q", i, body)
		}
		if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" || resp.ContentLength != -1 {
			t.Errorf("TransferEncoding %q ContentLength %d, want chunked and -1", resp.TransferEncoding, resp.ContentLength)
		}
	}
	if n := st.opened.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestH1Gzip(t *testing.T) {
	t.Parallel()
	payload := strings.Repeat("compress me ", 200)
	zipped := gzipped(t, payload)
	var mu sync.Mutex
	var seen []string // the Accept-Encoding of each request
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, strings.Join(r.Header.Values("Accept-Encoding"), ","))
		mu.Unlock()
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || r.Header.Get("Range") != "" {
			_, _ = io.WriteString(w, payload)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		if r.URL.Path == "/chunked" { // no Content-Length: chunked
			_, _ = w.Write(zipped[:10])
			w.(http.Flusher).Flush()
			_, _ = w.Write(zipped[10:])
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(zipped)))
		_, _ = w.Write(zipped)
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	lastSeen := func() string {
		mu.Lock()
		defer mu.Unlock()
		return seen[len(seen)-1]
	}

	for _, path := range []string{"/length", "/chunked"} {
		resp, body := h1Get(t, tr, srv.URL+path)
		if got := lastSeen(); got != "gzip" {
			t.Errorf("%s: server saw Accept-Encoding %q, want gzip", path, got)
		}
		if body != payload {
			t.Errorf("%s: body not decompressed: %d bytes %q...", path, len(body), body[:min(len(body), 20)])
		}
		if !resp.Uncompressed {
			t.Errorf("%s: Uncompressed false", path)
		}
		if ce, cl := resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Length"); ce != "" || cl != "" {
			t.Errorf("%s: Content-Encoding %q Content-Length %q, want them removed", path, ce, cl)
		}
		if resp.ContentLength != -1 {
			t.Errorf("%s: ContentLength %d, want -1", path, resp.ContentLength)
		}
	}

	// The script's own Accept-Encoding: the body comes as it is.
	resp, body := h1Do(t, tr, http.MethodGet, srv.URL+"/length", nil, http.Header{"Accept-Encoding": {"gzip"}})
	if body != string(zipped) {
		t.Errorf("with the script's Accept-Encoding: body %d bytes, want the %d compressed bytes", len(body), len(zipped))
	}
	if resp.Uncompressed || resp.Header.Get("Content-Encoding") != "gzip" || resp.ContentLength != int64(len(zipped)) {
		t.Errorf("with the script's Accept-Encoding: Uncompressed %v Content-Encoding %q ContentLength %d",
			resp.Uncompressed, resp.Header.Get("Content-Encoding"), resp.ContentLength)
	}
	resp, body = h1Do(t, tr, http.MethodGet, srv.URL+"/length", nil, http.Header{"Accept-Encoding": {"identity"}})
	if got := lastSeen(); got != "identity" {
		t.Errorf("server saw Accept-Encoding %q, want the script's identity alone", got)
	}
	if body != payload || resp.Uncompressed {
		t.Errorf("identity: body %d bytes, Uncompressed %v", len(body), resp.Uncompressed)
	}

	// No gzip asked with a Range.
	h1Do(t, tr, http.MethodGet, srv.URL+"/length", nil, http.Header{"Range": {"bytes=0-"}})
	if got := lastSeen(); got != "" {
		t.Errorf("with a Range: server saw Accept-Encoding %q, want none", got)
	}

	if n := st.opened.Load(); n != 1 {
		t.Errorf("%d connections, want 1 (reused after gzip bodies)", n)
	}
}

func TestH1GzipCorruptBody(t *testing.T) {
	t.Parallel()
	srv, _ := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.WriteString(w, "this is not gzip")
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, gzip.ErrHeader) {
		t.Errorf("reading a corrupt gzip body: %v, want gzip.ErrHeader", err)
	}
}

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
func staleConn(t *testing.T) (*rawServer, *h1Transport) {
	closed := make(chan struct{}, 10)
	srv := closingServer(t, closed)
	tr := &h1Transport{}
	t.Cleanup(tr.closeIdle)
	if _, body := h1Get(t, tr, srv.url("/")); body != "conn1" {
		t.Fatalf("body %q", body)
	}
	waitFor(t, closed, "the server to close")
	return srv, tr
}

func TestH1StaleKeepAliveGet(t *testing.T) {
	t.Parallel()
	srv, tr := staleConn(t)
	// Reused at once, as under load: the GET finds the close by failing, not by
	// the check of a connection idle for long.
	markIdleSince(tr, time.Now())
	if _, body := h1Get(t, tr, srv.url("/")); body != "conn2" {
		t.Errorf("GET on a connection the server closed: body %q, want conn2 (retried on a new connection)", body)
	}
	if n := srv.accepted.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestH1StaleKeepAlivePost(t *testing.T) {
	t.Parallel()
	srv, tr := staleConn(t)
	// Reused at once, as under load (a connection idle for longer than
	// h1CheckAfter is checked first and would not be used: see
	// TestH1StaleKeepAlivePostAfterIdle), however long the machine took to get
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

// A connection idle for longer than h1CheckAfter is checked before reuse: a
// POST after the server's keep-alive timeout goes on a new connection.
func TestH1StaleKeepAlivePostAfterIdle(t *testing.T) {
	t.Parallel()
	srv, tr := staleConn(t)
	markIdleSince(tr, time.Now().Add(-h1CheckAfter)) // as if the script had slept
	if _, body := h1Do(t, tr, http.MethodPost, srv.url("/"), strings.NewReader("data"), nil); body != "conn2" {
		t.Errorf("POST after the server closed the idle connection: body %q, want conn2", body)
	}
}

// Bytes the response did not account for (a body longer than its
// Content-Length) and a 101 answer keep the connection out of the pool.
func TestH1NotPooled(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA",
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n\x00\x01binary",
	} {
		srv := newRawServer(t, func(n int, c net.Conn) {
			br := bufio.NewReader(c)
			for i := 0; ; i++ {
				if _, err := readRawRequest(br); err != nil {
					return
				}
				if n == 1 && i == 0 {
					_, _ = io.WriteString(c, answer)
					continue
				}
				fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn%d", n)
			}
		})
		tr := &h1Transport{}
		resp, _ := h1Get(t, tr, srv.url("/"))
		if resp.StatusCode != 200 && resp.StatusCode != 101 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if _, body := h1Get(t, tr, srv.url("/")); body != "conn2" {
			t.Errorf("after %q: body %q, want conn2 (a new connection)", answer[:20], body)
		}
		tr.closeIdle()
	}
}

// Response heads net/http also reads the same way.
func TestH1ResponseHeads(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		head, wantErr string
		status        int
		header        string // a header's value, X-A
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: +2\r\n", "bad Content-Length", 0, ""},
		{"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 0\r\n", "control character", 0, ""},
		{"HTTP/1.2 200 OK\r\nContent-Length: 0\r\n", "", 200, ""},
		{"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n", "not HTTP/1.x", 0, ""},
		{"HTTP/1.1 200\r\nX-A:\r\n  folded\r\nContent-Length: 0\r\n", "", 200, "folded"},
		{"HTTP/1.1 200 OK\r\nX-A: one\r\n\ttwo\r\nContent-Length: 0\r\n", "", 200, "one two"},
		{"HTTP/1.1 200 OK\r\nBad Name: x\r\n", "bad header line", 0, ""},
		{"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n", "several different Content-Length", 0, ""},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n", "unsupported Transfer-Encoding", 0, ""},
		{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n", "informational", 0, ""},
	} {
		srv := newRawServer(t, func(_ int, c net.Conn) {
			if _, err := readRawRequest(bufio.NewReader(c)); err == nil {
				_, _ = io.WriteString(c, tt.head+"\r\n")
			}
		})
		tr := &h1Transport{}
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.url("/"), nil)
		resp, err := tr.RoundTrip(req)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want one with %q", tt.head, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.head, err)
		default:
			if resp.StatusCode != tt.status || resp.Header.Get("X-A") != tt.header {
				t.Errorf("%q: status %d, X-A %q; want %d, %q", tt.head, resp.StatusCode, resp.Header.Get("X-A"), tt.status, tt.header)
			}
			resp.Body.Close()
		}
		tr.closeIdle()
	}
}

func TestH1StaleKeepAlivePostWriteFailed(t *testing.T) {
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
	tr := &h1Transport{}
	defer tr.closeIdle()
	if _, body := h1Get(t, tr, srv.url("/")); body != "conn1" {
		t.Fatalf("body %q", body)
	}
	<-bodies
	close(reset)
	waitFor(t, resetDone, "the server to reset the connection")
	time.Sleep(50 * time.Millisecond) // let the RST arrive
	resp, body := h1Do(t, tr, http.MethodPost, srv.url("/"), strings.NewReader("data"), nil)
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

func TestH1CloseDelimited(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("until the end ", 1000)
	srv := newRawServer(t, func(n int, c net.Conn) {
		if _, err := readRawRequest(bufio.NewReader(c)); err != nil {
			return
		}
		proto := "HTTP/1.0"
		if n == 3 {
			proto = "HTTP/1.1" // no length, no chunks: the end of the connection ends it too
		}
		fmt.Fprintf(c, "%s 200 OK\r\nContent-Type: text/plain\r\n\r\n%s", proto, body)
	})
	tr := &h1Transport{}
	defer tr.closeIdle()
	for i := 1; i <= 3; i++ {
		resp, got := h1Get(t, tr, srv.url("/"))
		if got != body {
			t.Errorf("request %d: body %d bytes, want %d", i, len(got), len(body))
		}
		if resp.ContentLength != -1 {
			t.Errorf("request %d: ContentLength %d", i, resp.ContentLength)
		}
		if n := srv.accepted.Load(); n != int32(i) {
			t.Errorf("after request %d: %d connections, want %d (a close-delimited one is not pooled)", i, n, i)
		}
	}
}

func TestH1EarlyHints(t *testing.T) {
	t.Parallel()
	srv := newRawServer(t, func(_ int, c net.Conn) {
		serveKeepAlive(c, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"+
			"HTTP/1.1 100 Continue\r\n\r\n"+
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final: yes\r\n\r\nok")
	})
	tr := &h1Transport{}
	defer tr.closeIdle()
	for range 2 {
		resp, body := h1Get(t, tr, srv.url("/"))
		if resp.StatusCode != 200 || body != "ok" || resp.Header.Get("X-Final") != "yes" {
			t.Errorf("got %d %q %v, want the final 200 ok", resp.StatusCode, body, resp.Header)
		}
		if resp.Header.Get("Link") != "" {
			t.Errorf("the 103's Link header leaked into the final response")
		}
	}
	if n := srv.accepted.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func TestH1NoBodyResponses(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/nocontent":
			w.WriteHeader(http.StatusNoContent)
		case "/notmodified":
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Header().Set("Content-Length", "5")
			_, _ = io.WriteString(w, "hello")
		}
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	for range 2 {
		for _, c := range []struct {
			method, path string
			status       int
			length       int64
		}{
			{http.MethodHead, "/", 200, 5},
			{http.MethodGet, "/nocontent", 204, 0},
			{http.MethodGet, "/notmodified", 304, 0},
			{http.MethodGet, "/", 200, 5},
		} {
			req, _ := http.NewRequestWithContext(context.Background(), c.method, srv.URL+c.path, nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != c.status || resp.ContentLength != c.length {
				t.Errorf("%s %s: %d length %d, want %d length %d", c.method, c.path, resp.StatusCode, resp.ContentLength, c.status, c.length)
			}
			if c.method == http.MethodHead || c.status != 200 {
				if resp.Body != http.NoBody {
					t.Errorf("%s %s: Body %T, want http.NoBody", c.method, c.path, resp.Body)
				}
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	if n := st.opened.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// requestRecorder is a raw server that sends each request's bytes on reqs and
// answers 200 with no body.
func requestRecorder(t *testing.T) (*rawServer, chan string) {
	reqs := make(chan string, 10)
	srv := newRawServer(t, func(_ int, c net.Conn) {
		br := bufio.NewReader(c)
		for {
			raw, err := readRawRequest(br)
			if err != nil {
				return
			}
			reqs <- raw
			if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); err != nil {
				return
			}
		}
	})
	return srv, reqs
}

func TestH1RequestBytes(t *testing.T) {
	t.Parallel()
	srv, reqs := requestRecorder(t)
	host := srv.ln.Addr().String()
	tr := &h1Transport{}
	defer tr.closeIdle()
	send := func(req *http.Request) string {
		t.Helper()
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		select {
		case raw := <-reqs:
			return raw
		case <-time.After(time.Second):
			t.Fatal("the server got no request")
			return ""
		}
	}
	newReq := func(method, u string, body io.Reader) *http.Request {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), method, u, body)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}

	req := newReq(http.MethodPost, srv.url("/p/a?x=1&y=%20"), strings.NewReader("hello"))
	req.Header.Set("X-B", "2")
	req.Header.Add("X-B", "3")
	req.Header.Set("X-A", "1")
	req.Header.Set("Content-Type", "text/plain")
	req.Header["Host"] = []string{"ignored.example"}
	req.Header["Content-Length"] = []string{"999"}
	req.Header["Transfer-Encoding"] = []string{"chunked"}
	want := "POST /p/a?x=1&y=%20 HTTP/1.1\r\nHost: " + host + "\r\n" +
		"Content-Type: text/plain\r\nX-A: 1\r\nX-B: 2\r\nX-B: 3\r\n" +
		"Accept-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello"
	if got := send(req); got != want {
		t.Errorf("POST with a body:\n got %q\nwant %q", got, want)
	}

	want = "POST / HTTP/1.1\r\nHost: " + host + "\r\nAccept-Encoding: gzip\r\nContent-Length: 0\r\n\r\n"
	if got := send(newReq(http.MethodPost, srv.url(""), nil)); got != want {
		t.Errorf("POST with no body:\n got %q\nwant %q", got, want)
	}
	if got := send(newReq(http.MethodPut, srv.url("/"), http.NoBody)); !strings.Contains(got, "\r\nContent-Length: 0\r\n") {
		t.Errorf("PUT with http.NoBody: %q, want Content-Length: 0", got)
	}

	want = "GET /x HTTP/1.1\r\nHost: " + host + "\r\nAccept-Encoding: gzip\r\n\r\n"
	if got := send(newReq(http.MethodGet, srv.url("/x"), nil)); got != want {
		t.Errorf("GET:\n got %q\nwant %q", got, want)
	}

	req = newReq(http.MethodGet, srv.url("/"), nil)
	req.URL = &url.URL{Scheme: "http", Host: host, Path: "/a b/ü", RawQuery: "q=1"}
	if got := send(req); !strings.HasPrefix(got, "GET /a%20b/%C3%BC?q=1 HTTP/1.1\r\n") {
		t.Errorf("path with a space: %q, want it escaped", got)
	}
	if got := send(newReq(http.MethodGet, srv.url("/a%2Fb%20c"), nil)); !strings.HasPrefix(got, "GET /a%2Fb%20c HTTP/1.1\r\n") {
		t.Errorf("path with an escaped slash: %q, want it as given", got)
	}

	req = newReq(http.MethodGet, srv.url("/h"), nil)
	req.Host = "virtual.example"
	want = "GET /h HTTP/1.1\r\nHost: virtual.example\r\nAccept-Encoding: gzip\r\n\r\n"
	if got := send(req); got != want {
		t.Errorf("req.Host:\n got %q\nwant %q", got, want)
	}

	req = newReq(http.MethodHead, srv.url("/"), nil)
	want = "HEAD / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
	if got := send(req); got != want {
		t.Errorf("HEAD:\n got %q\nwant %q", got, want)
	}
	if n := srv.accepted.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func TestH1InvalidRequestNotSent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		edit func(*http.Request)
	}{
		{"value with CRLF", func(r *http.Request) { r.Header.Set("X-Evil", "a\r\nX-Injected: 1") }},
		{"value with LF", func(r *http.Request) { r.Header["X-Evil"] = []string{"ok", "a\nb"} }},
		{"name with a space", func(r *http.Request) { r.Header["Bad Name"] = []string{"v"} }},
		{"name with a colon", func(r *http.Request) { r.Header["Bad:"] = []string{"v"} }},
		{"empty name", func(r *http.Request) { r.Header[""] = []string{"v"} }},
		{"Host with CRLF", func(r *http.Request) { r.Host = "a.example\r\nX-Injected: 1" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			received := make(chan int, 1)
			srv := newRawServer(t, func(_ int, conn net.Conn) {
				b, _ := io.ReadAll(conn)
				received <- len(b)
			})
			tr := &h1Transport{}
			defer tr.closeIdle()
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.url("/"), strings.NewReader("body"))
			c.edit(req)
			resp, err := tr.RoundTrip(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("no error")
			}
			if n := srv.accepted.Load(); n != 0 {
				t.Errorf("%d connections opened, want none: an invalid request is refused before", n)
			}
			select {
			case n := <-received:
				t.Errorf("the server received %d bytes", n)
			default:
			}
		})
	}
}

func TestH1NoHost(t *testing.T) {
	t.Parallel()
	tr := &h1Transport{}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http:///path", nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, errNoHost) {
		t.Errorf("got %v, want errNoHost", err)
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

func TestH1CancelWhileWaitingForResponse(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 1)
	srv, _ := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		hangingHandler(w, r)
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	// Cancelled once the server has the request, so the client waits for the
	// response, however slow the machine.
	var cancelledAt atomic.Int64
	go func() {
		select {
		case <-arrived:
			cancelledAt.Store(time.Now().UnixNano())
			cancel()
		case <-ctx.Done(): // RoundTrip returned first
		}
	}()
	resp, err := tr.RoundTrip(req)
	returned := time.Now()
	if err == nil {
		resp.Body.Close()
		t.Fatal("no error")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if at := cancelledAt.Load(); at == 0 {
		t.Errorf("returned before the cancellation: %v", err)
	} else if d := returned.Sub(time.Unix(0, at)); d > promptly {
		t.Errorf("returned %v after the cancellation", d)
	}
}

func TestH1DeadlineWhileWaitingForResponse(t *testing.T) {
	t.Parallel()
	srv, _ := newH1Server(t, hangingHandler)
	tr := &h1Transport{}
	defer tr.closeIdle()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	start := time.Now()
	if _, err := tr.RoundTrip(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > promptly {
		t.Errorf("returned after %v", d)
	}
}

func TestH1CancelWhileReadingBody(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "first")
		if r.URL.Path != "/slow" {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(hangUntil):
		}
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/slow", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != "first" {
		t.Fatalf("read %q: %v", first, err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	n, err := resp.Body.Read(make([]byte, 10))
	if err == nil || err == io.EOF {
		t.Errorf("Read after the cancellation: %d bytes, error %v; want an error", n, err)
	}
	if d := time.Since(start); d > promptly {
		t.Errorf("Read returned %v after it began (cancelled after 50ms)", d)
	}
	resp.Body.Close()
	// The connection is not reused: a new request opens another.
	if _, body := h1Get(t, tr, srv.URL); body != "first" {
		t.Errorf("after a cancelled body: body %q, want first", body)
	}
	if n := st.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestH1AlreadyCancelled(t *testing.T) {
	t.Parallel()
	var connects atomic.Int32
	var getConn []string
	trace := &httptrace.ClientTrace{
		GetConn:      func(hostPort string) { getConn = append(getConn, hostPort) },
		ConnectStart: func(string, string) { connects.Add(1) },
	}
	ctx, cancel := context.WithCancel(httptrace.WithClientTrace(context.Background(), trace))
	cancel()
	tr := &h1Transport{}
	defer tr.closeIdle()
	// No port: the transport looks for port 80, and must not dial it.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1/", nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if n := connects.Load(); n != 0 {
		t.Errorf("%d dials, want none", n)
	}
	if len(getConn) != 0 {
		t.Errorf("GetConn %q, want no connection asked for", getConn)
	}
}

// An already cancelled context with a connection in the pool: nothing is sent.
func TestH1AlreadyCancelledPooled(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	srv, _ := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		_, _ = io.WriteString(w, "ok")
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	get := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
		resp, err := tr.RoundTrip(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return err
	}
	if err := get(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 50 {
		if err := get(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the server got %d requests, want 1", n)
	}
}

func TestH1Trace(t *testing.T) {
	t.Parallel()
	srv, _ := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "traced")
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	var events []string
	var conns []*countingConn
	trace := &httptrace.ClientTrace{
		GetConn:      func(hostPort string) { events = append(events, "GetConn "+hostPort) },
		ConnectStart: func(network, _ string) { events = append(events, "ConnectStart "+network) },
		ConnectDone: func(network, _ string, err error) {
			events = append(events, fmt.Sprintf("ConnectDone %s %v", network, err))
		},
		GotConn: func(info httptrace.GotConnInfo) {
			events = append(events, fmt.Sprintf("GotConn reused=%v", info.Reused))
			conns = append(conns, connOf(info.Conn))
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			events = append(events, fmt.Sprintf("WroteRequest %v", info.Err))
		},
		GotFirstResponseByte: func() { events = append(events, "GotFirstResponseByte") },
	}
	ctx := httptrace.WithClientTrace(context.Background(), trace)
	hostPort := srv.Listener.Addr().String()
	for i := range 2 {
		events = events[:0]
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "traced" {
			t.Errorf("body %q", b)
		}
		want := []string{"GetConn " + hostPort, "ConnectStart tcp", "ConnectDone tcp <nil>", "GotConn reused=false",
			"WroteRequest <nil>", "GotFirstResponseByte"}
		if i == 1 {
			want = []string{"GetConn " + hostPort, "GotConn reused=true", "WroteRequest <nil>", "GotFirstResponseByte"}
		}
		if fmt.Sprint(events) != fmt.Sprint(want) {
			t.Errorf("request %d: events\n %q\nwant\n %q", i, events, want)
		}
	}
	if len(conns) != 2 || conns[0] == nil || conns[0] != conns[1] {
		t.Fatalf("connOf(GotConnInfo.Conn): %v, want the same countingConn twice", conns)
	}
	if conns[0].written.Load() == 0 || conns[0].read.Load() == 0 {
		t.Errorf("the connection counted %d bytes written and %d read", conns[0].written.Load(), conns[0].read.Load())
	}
}

func TestH1CloseIdle(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	tr := &h1Transport{}
	tr.closeIdle() // on an empty pool: nothing to do
	h1Get(t, tr, srv.URL)
	tr.closeIdle()
	waitFor(t, st.closes, "the server to see the idle connection closed")
	if n := st.closed.Load(); n != 1 {
		t.Errorf("%d connections closed, want 1", n)
	}
	if _, body := h1Get(t, tr, srv.URL); body != "ok" {
		t.Errorf("after closeIdle: body %q", body)
	}
	if n := st.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
	tr.closeIdle()
	tr.closeIdle()
	waitFor(t, st.closes, "the server to see the second connection closed")
}

func TestH1Concurrent(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.Query().Get("id"))
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("%d-%d", w, i)
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/?id="+id, nil)
				resp, err := tr.RoundTrip(req)
				if err != nil {
					errs <- err
					continue
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || string(b) != id {
					errs <- fmt.Errorf("request %s: body %q, %v", id, b, err)
				}
				if i == each/2 {
					tr.closeIdle()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Each closeIdle drops the idle connections and, when their requests end,
	// those in use: at most one per worker.
	if n := st.opened.Load(); n > workers+workers*workers {
		t.Errorf("%d connections for %d workers", n, workers)
	}
}

func TestH1Refused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tr := &h1Transport{}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+addr+"/", nil)
	resp, err := tr.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("no error")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %v, want ECONNREFUSED", err)
	}
}

func TestH1IdleLimitPerHost(t *testing.T) {
	t.Parallel()
	srv, st := newH1Server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	tr := &h1Transport{}
	defer tr.closeIdle()
	const open = h1MaxIdlePerHost + 5
	round := func() {
		t.Helper()
		resps := make([]*http.Response, 0, open)
		for range open { // all in use at once: none is idle for the next
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resps = append(resps, resp)
		}
		for _, resp := range resps {
			if b, err := io.ReadAll(resp.Body); err != nil || string(b) != "ok" {
				t.Errorf("body %q: %v", b, err)
			}
			resp.Body.Close()
		}
	}
	round()
	for range open - h1MaxIdlePerHost {
		waitFor(t, st.closes, "the server to see the connections beyond the limit closed")
	}
	if n := st.opened.Load(); n != open {
		t.Errorf("%d connections, want %d", n, open)
	}
	round()
	if n := st.opened.Load(); n != open+open-h1MaxIdlePerHost {
		t.Errorf("after a second round: %d connections, want %d (%d reused)", n, open+open-h1MaxIdlePerHost, h1MaxIdlePerHost)
	}
	if n := st.closed.Load(); n < open-h1MaxIdlePerHost {
		t.Errorf("%d connections closed, want at least %d", n, open-h1MaxIdlePerHost)
	}
}
