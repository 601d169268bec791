package h1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

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

// newRequest makes a request with no context of its own.
func newRequest(t *testing.T, method, u string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestRequestBytes checks the bytes of requests on the wire, all sent on one
// connection. A case matches whole, or by its start or a part when only that is
// of interest.
func TestRequestBytes(t *testing.T) {
	t.Parallel()
	srv, reqs := requestRecorder(t)
	host := srv.ln.Addr().String()
	tr := &Transport{}
	defer tr.CloseIdle()
	tests := []struct {
		name  string
		req   func() *http.Request
		match func(got, want string) bool
		want  string
	}{
		{"POST with a body", func() *http.Request {
			req := newRequest(t, http.MethodPost, srv.url("/p/a?x=1&y=%20"), strings.NewReader("hello"))
			req.Header.Set("X-B", "2")
			req.Header.Add("X-B", "3")
			req.Header.Set("X-A", "1")
			req.Header.Set("Content-Type", "text/plain")
			req.Header["Host"] = []string{"ignored.example"}
			req.Header["Content-Length"] = []string{"999"}
			req.Header["Transfer-Encoding"] = []string{"chunked"}
			return req
		}, isEqual, "POST /p/a?x=1&y=%20 HTTP/1.1\r\nHost: " + host + "\r\n" +
			"Content-Type: text/plain\r\nX-A: 1\r\nX-B: 2\r\nX-B: 3\r\n" +
			"Content-Length: 5\r\n\r\nhello"},
		{"POST with no body", func() *http.Request { return newRequest(t, http.MethodPost, srv.url(""), nil) },
			isEqual, "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n"},
		{"PUT with http.NoBody", func() *http.Request { return newRequest(t, http.MethodPut, srv.url("/"), http.NoBody) },
			strings.Contains, "\r\nContent-Length: 0\r\n"},
		{"GET", func() *http.Request { return newRequest(t, http.MethodGet, srv.url("/x"), nil) },
			isEqual, "GET /x HTTP/1.1\r\nHost: " + host + "\r\n\r\n"},
		{"path with a space, escaped", func() *http.Request {
			req := newRequest(t, http.MethodGet, srv.url("/"), nil)
			req.URL = &url.URL{Scheme: "http", Host: host, Path: "/a b/ü", RawQuery: "q=1"}
			return req
		}, strings.HasPrefix, "GET /a%20b/%C3%BC?q=1 HTTP/1.1\r\n"},
		{"path with an escaped slash, as given", func() *http.Request { return newRequest(t, http.MethodGet, srv.url("/a%2Fb%20c"), nil) },
			strings.HasPrefix, "GET /a%2Fb%20c HTTP/1.1\r\n"},
		{"req.Host", func() *http.Request {
			req := newRequest(t, http.MethodGet, srv.url("/h"), nil)
			req.Host = "virtual.example"
			return req
		}, isEqual, "GET /h HTTP/1.1\r\nHost: virtual.example\r\n\r\n"},
		{"HEAD", func() *http.Request { return newRequest(t, http.MethodHead, srv.url("/"), nil) },
			isEqual, "HEAD / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"},
	}
	for _, tt := range tests { // in order, on one connection: no t.Run
		resp, err := tr.RoundTrip(tt.req())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		var got string
		select {
		case got = <-reqs:
		case <-time.After(30 * time.Second): // the server answered: only against a hang
			t.Fatalf("%s: the server recorded no request", tt.name)
		}
		if !tt.match(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
	if n := srv.accepted.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func isEqual(got, want string) bool { return got == want }

func TestInvalidRequestNotSent(t *testing.T) {
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
			tr := &Transport{}
			defer tr.CloseIdle()
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

func TestNoHost(t *testing.T) {
	t.Parallel()
	tr := &Transport{}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http:///path", nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, errNoHost) {
		t.Errorf("got %v, want errNoHost", err)
	}
}
