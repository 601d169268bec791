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

func TestRequestBytes(t *testing.T) {
	t.Parallel()
	srv, reqs := requestRecorder(t)
	host := srv.ln.Addr().String()
	tr := &Transport{}
	defer tr.CloseIdle()
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
