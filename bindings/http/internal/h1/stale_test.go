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

	"github.com/jsload/jsload/bindings/http/internal/faults"
)

// idleClosed returns a transport whose pool holds one connection to target,
// which the target has since closed as idle (after its 408 when it sends one).
func idleClosed(t *testing.T, target *faults.Target) *Transport {
	t.Helper()
	tr := &Transport{}
	t.Cleanup(tr.CloseIdle)
	if resp, body := mustGet(t, tr, target.URL("/ok")); resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("first GET: %d %q", resp.StatusCode, body)
	}
	waitFor(t, target.IdleClosed(), "the target to close the idle connection")
	// Reused at once, as under load, however long the machine took to get
	// here: the idle connection's age has nothing to do with its check.
	markIdleSince(tr, time.Now())
	return tr
}

// A server that closes idle connections (Node.js after 5 s, nginx after its
// keepalive_timeout): the next request, a POST, which cannot be sent twice,
// must not go on the closed connection.
func TestIdleClosedPost(t *testing.T) {
	t.Parallel()
	for _, answer408 := range []bool{false, true} {
		t.Run(fmt.Sprintf("answer408=%v", answer408), func(t *testing.T) {
			t.Parallel()
			target := faults.Start(t, faults.Config{IdleClose: 10 * time.Millisecond, Answer408: answer408})
			tr := idleClosed(t, target)
			resp, body := mustDo(t, tr, http.MethodPost, target.URL("/ok"), strings.NewReader("data"), nil)
			if resp.StatusCode != 200 || body != "ok" {
				t.Errorf("POST after the server closed the idle connection: %d %q, want 200 ok (on a new connection)", resp.StatusCode, body)
			}
			if n := target.Accepted.Load(); n != 2 {
				t.Errorf("%d connections, want 2", n)
			}
			if n := target.Requests.Load(); n != 2 {
				t.Errorf("the target read %d requests, want 2: the POST was not sent on the closed connection", n)
			}
		})
	}
}

// A GET, which may be sent twice, goes on the idle connection without the
// check of its socket; when the server closed it meanwhile, the GET is sent
// again on a new connection.
func TestIdleClosedGet(t *testing.T) {
	t.Parallel()
	for _, answer408 := range []bool{false, true} {
		t.Run(fmt.Sprintf("answer408=%v", answer408), func(t *testing.T) {
			t.Parallel()
			target := faults.Start(t, faults.Config{IdleClose: 10 * time.Millisecond, Answer408: answer408})
			tr := idleClosed(t, target)
			if resp, body := mustGet(t, tr, target.URL("/ok")); resp.StatusCode != 200 || body != "ok" {
				t.Errorf("GET after the server closed the idle connection: %d %q, want 200 ok (on a new connection)", resp.StatusCode, body)
			}
			if n := target.Accepted.Load(); n != 2 {
				t.Errorf("%d connections, want 2", n)
			}
		})
	}
}

// A server that closes a kept-alive connection just as the next request
// arrives (its keep-alive timeout firing then): the request is lost after it
// was written, and is sent again on a new connection only when that is safe,
// by net/http's rules.
func TestRetryAfterWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method string
		header http.Header
		retry  bool
	}{
		{http.MethodGet, nil, true},
		{http.MethodHead, nil, true},
		{http.MethodOptions, nil, true},
		{http.MethodPost, nil, false},
		{http.MethodPut, nil, false}, // idempotent by RFC 9110, but net/http does not resend it
		{http.MethodDelete, nil, false},
		{http.MethodPost, http.Header{"Idempotency-Key": {"k1"}}, true},
		{http.MethodPatch, http.Header{"X-Idempotency-Key": {"k2"}}, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s%v", tt.method, tt.header), func(t *testing.T) {
			t.Parallel()
			target := faults.Start(t, faults.Config{DropRequest: 2})
			tr := &Transport{}
			defer tr.CloseIdle()
			mustGet(t, tr, target.URL("/ok"))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // only against a hang
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, tt.method, target.URL("/ok"), strings.NewReader("data"))
			for k, v := range tt.header {
				req.Header[k] = v
			}
			resp, err := tr.RoundTrip(req)
			if tt.retry {
				if err != nil {
					t.Fatalf("%s: %v, want it sent again on a new connection", tt.method, err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if n := target.Accepted.Load(); resp.StatusCode != 200 || n != 2 {
					t.Errorf("%s: status %d on %d connections, want 200 on the second", tt.method, resp.StatusCode, n)
				}
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatalf("%s succeeded (status %d); want the error: it was written and may not be sent twice", tt.method, resp.StatusCode)
			}
			if ctx.Err() != nil || !(errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)) {
				t.Errorf("%s: error %v, want the end of the connection", tt.method, err)
			}
			if n := target.Accepted.Load(); n != 1 {
				t.Errorf("%s: %d connections, want 1", tt.method, n)
			}
		})
	}
}

// A 408 that answers a request on a kept-alive connection (the server's idle
// timeout fired as the request came) is not the request's answer: it is sent
// again on a new connection, whatever its method.
func TestRetryOn408(t *testing.T) {
	t.Parallel()
	srv := newRawServer(t, func(n int, c net.Conn) {
		br := bufio.NewReader(c)
		if _, err := readRawRequest(br); err != nil {
			return
		}
		if n == 1 {
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			if _, err := readRawRequest(br); err != nil {
				return
			}
			_, _ = io.WriteString(c, "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
			return
		}
		if n == 2 {
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nconn2")
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
	})
	tr := &Transport{}
	defer tr.CloseIdle()
	mustGet(t, tr, srv.url("/"))
	resp, body := mustDo(t, tr, http.MethodPost, srv.url("/"), strings.NewReader("data"), nil)
	if resp.StatusCode != 200 || body != "conn2" {
		t.Errorf("POST answered 408 on a kept-alive connection: %d %q, want 200 conn2 (sent again)", resp.StatusCode, body)
	}
	// A 408 on a new connection is the answer.
	if resp, _ := mustGet(t, tr, srv.url("/")); resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("408 on a new connection: status %d, want the 408", resp.StatusCode)
	}
}
