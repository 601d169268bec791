package h1

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"time"
)

func TestCancelWhileWaitingForResponse(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 1)
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		hangingHandler(w, r)
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
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

func TestDeadlineWhileWaitingForResponse(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, hangingHandler)
	tr := &Transport{}
	defer tr.CloseIdle()
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

func TestCancelWhileReadingBody(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	tr := &Transport{}
	defer tr.CloseIdle()
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
	if _, body := mustGet(t, tr, srv.URL); body != "first" {
		t.Errorf("after a cancelled body: body %q, want first", body)
	}
	if n := st.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestAlreadyCancelled(t *testing.T) {
	t.Parallel()
	var connects atomic.Int32
	var getConn []string
	trace := &httptrace.ClientTrace{
		GetConn:      func(hostPort string) { getConn = append(getConn, hostPort) },
		ConnectStart: func(string, string) { connects.Add(1) },
	}
	ctx, cancel := context.WithCancel(httptrace.WithClientTrace(context.Background(), trace))
	cancel()
	tr := &Transport{}
	defer tr.CloseIdle()
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
func TestAlreadyCancelledPooled(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		_, _ = io.WriteString(w, "ok")
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
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
