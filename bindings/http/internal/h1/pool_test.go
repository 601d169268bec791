package h1

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestReuseSequential(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Query().Get("i"))
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
	for i := range 20 {
		resp, body := mustGet(t, tr, fmt.Sprintf("%s/?i=%d", srv.URL, i))
		if resp.StatusCode != 200 || body != fmt.Sprintf("hello %d", i) {
			t.Fatalf("request %d: %d %q", i, resp.StatusCode, body)
		}
	}
	if n := st.opened.Load(); n != 1 {
		t.Errorf("20 sequential GETs used %d connections, want 1", n)
	}
}

func TestReuseAfterUnreadSmallBody(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello")
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
	for range 3 {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close() // unread, but already received whole
	}
	if _, body := mustGet(t, tr, srv.URL); body != "hello" {
		t.Errorf("body %q, want hello", body)
	}
	if n := st.opened.Load(); n != 1 {
		t.Errorf("bodies closed unread but received whole: %d connections, want 1", n)
	}
}

func TestEarlyCloseOfLargeBody(t *testing.T) {
	t.Parallel()
	const size = 8 << 20
	released := make(chan struct{})
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	tr := &Transport{}
	defer tr.CloseIdle()
	if _, body := mustGet(t, tr, srv.URL+"/small"); body != "small" {
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
	if _, body := mustGet(t, tr, srv.URL+"/small"); body != "small" {
		t.Errorf("after an early close: body %q, want small", body)
	}
	if n := st.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the one of the unfinished body is not reused)", n)
	}
}

// Bytes the response did not account for (a body longer than its
// Content-Length) and a 101 answer keep the connection out of the pool.
func TestNotPooled(t *testing.T) {
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
		tr := &Transport{}
		resp, _ := mustGet(t, tr, srv.url("/"))
		if resp.StatusCode != 200 && resp.StatusCode != 101 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if _, body := mustGet(t, tr, srv.url("/")); body != "conn2" {
			t.Errorf("after %q: body %q, want conn2 (a new connection)", answer[:20], body)
		}
		tr.CloseIdle()
	}
}

func TestCloseIdle(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	tr := &Transport{}
	tr.CloseIdle() // on an empty pool: nothing to do
	mustGet(t, tr, srv.URL)
	tr.CloseIdle()
	waitFor(t, st.closes, "the server to see the idle connection closed")
	if n := st.closed.Load(); n != 1 {
		t.Errorf("%d connections closed, want 1", n)
	}
	if _, body := mustGet(t, tr, srv.URL); body != "ok" {
		t.Errorf("after CloseIdle: body %q", body)
	}
	if n := st.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
	tr.CloseIdle()
	tr.CloseIdle()
	waitFor(t, st.closes, "the server to see the second connection closed")
}

func TestConcurrent(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.Query().Get("id"))
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
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
					tr.CloseIdle()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Each CloseIdle drops the idle connections and, when their requests end,
	// those in use: at most one per worker.
	if n := st.opened.Load(); n > workers+workers*workers {
		t.Errorf("%d connections for %d workers", n, workers)
	}
}

func TestIdleLimitPerHost(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
	const open = DefaultMaxIdlePerHost + 5
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
	for range open - DefaultMaxIdlePerHost {
		waitFor(t, st.closes, "the server to see the connections beyond the limit closed")
	}
	if n := st.opened.Load(); n != open {
		t.Errorf("%d connections, want %d", n, open)
	}
	round()
	if n := st.opened.Load(); n != open+open-DefaultMaxIdlePerHost {
		t.Errorf("after a second round: %d connections, want %d (%d reused)", n, open+open-DefaultMaxIdlePerHost, DefaultMaxIdlePerHost)
	}
	if n := st.closed.Load(); n < open-DefaultMaxIdlePerHost {
		t.Errorf("%d connections closed, want at least %d", n, open-DefaultMaxIdlePerHost)
	}
}

func TestRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tr := &Transport{}
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
