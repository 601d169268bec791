package h1

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unsafe"
)

func TestChunked(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for i := range 5 {
			fmt.Fprintf(w, "part%d;", i)
			w.(http.Flusher).Flush()
		}
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
	for i := range 3 {
		resp, body := mustGet(t, tr, srv.URL)
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

// The transport asks for no encoding and decodes none: the binding does both,
// on this path and net/http's.
func TestEncodedBodyAsItIs(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = io.WriteString(zw, "compressed")
	_ = zw.Close()
	zipped := b.Bytes()
	var asked atomic.Value
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Store(strings.Join(r.Header.Values("Accept-Encoding"), ","))
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(zipped)
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
	resp, body := mustGet(t, tr, srv.URL)
	if got := asked.Load(); got != "" {
		t.Errorf("server saw Accept-Encoding %q, want none", got)
	}
	if body != string(zipped) || resp.Header.Get("Content-Encoding") != "gzip" || resp.Uncompressed {
		t.Errorf("body %q, Content-Encoding %q, Uncompressed %v: want the gzip bytes as they came", body, resp.Header.Get("Content-Encoding"), resp.Uncompressed)
	}
}

// Response heads net/http also reads the same way.
func TestResponseHeads(t *testing.T) {
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
		tr := &Transport{}
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
		tr.CloseIdle()
	}
}

func TestCloseDelimited(t *testing.T) {
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
	tr := &Transport{}
	defer tr.CloseIdle()
	for i := 1; i <= 3; i++ {
		resp, got := mustGet(t, tr, srv.url("/"))
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

func TestEarlyHints(t *testing.T) {
	t.Parallel()
	srv := newRawServer(t, func(_ int, c net.Conn) {
		serveKeepAlive(c, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"+
			"HTTP/1.1 100 Continue\r\n\r\n"+
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final: yes\r\n\r\nok")
	})
	tr := &Transport{}
	defer tr.CloseIdle()
	for range 2 {
		resp, body := mustGet(t, tr, srv.url("/"))
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

func TestNoBodyResponses(t *testing.T) {
	t.Parallel()
	srv, st := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	tr := &Transport{}
	defer tr.CloseIdle()
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

// TestParseStatusLine: the usual "HTTP/1.1 NNN reason" line (read without
// searching it) and the others give the same fields as net/http reads.
func TestParseStatusLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line, status, proto string
		code, minor         int
		bad                 bool
	}{
		{line: "HTTP/1.1 200 OK", status: "200 OK", proto: "HTTP/1.1", code: 200, minor: 1},
		{line: "HTTP/1.1 404 Not Found", status: "404 Not Found", proto: "HTTP/1.1", code: 404, minor: 1},
		{line: "HTTP/1.1 200", status: "200", proto: "HTTP/1.1", code: 200, minor: 1},
		{line: "HTTP/1.1 599 ", status: "599 ", proto: "HTTP/1.1", code: 599, minor: 1},
		{line: "HTTP/1.1  204 No Content", status: "204 No Content", proto: "HTTP/1.1", code: 204, minor: 1},
		{line: "HTTP/1.0 301 Moved", status: "301 Moved", proto: "HTTP/1.0", code: 301, minor: 0},
		{line: "HTTP/1.2 200 OK", status: "200 OK", proto: "HTTP/1.2", code: 200, minor: 2},
		{line: "HTTP/1.1 099 Low", bad: true},
		{line: "HTTP/1.1 2x0 OK", bad: true},
		{line: "HTTP/1.1 2000 OK", bad: true},
		{line: "HTTP/1.1 20 OK", bad: true},
		{line: "HTTP/2.0 200 OK", bad: true},
		{line: "HTTP/1.1", bad: true},
	}
	for _, tt := range tests {
		var resp Response
		err := parseStatusLine(&resp, tt.line)
		if tt.bad {
			if err == nil {
				t.Errorf("%q: no error, status %d", tt.line, resp.StatusCode)
			}
			continue
		}
		if err != nil || resp.Status != tt.status || resp.StatusCode != tt.code || resp.Proto != tt.proto || resp.ProtoMajor != 1 || resp.ProtoMinor != tt.minor {
			t.Errorf("%q: %q %d %q 1.%d, %v; want %q %d %q 1.%d", tt.line, resp.Status, resp.StatusCode, resp.Proto, resp.ProtoMinor, err,
				tt.status, tt.code, tt.proto, tt.minor)
		}
	}
}

// TestRecycle: a recycled Response lends the memory of its head to a later
// one, and a response not recycled keeps its strings whatever comes after.
func TestRecycle(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-N", r.URL.Query().Get("n"))
		w.WriteHeader(200 + len(r.URL.Query().Get("n")))
	}))
	tr := new(Transport)
	defer tr.CloseIdle()
	get := func(n string) *Response {
		t.Helper()
		u, _ := url.Parse(srv.URL + "/?n=" + n)
		resp, err := tr.Do(context.Background(), &Request{Method: http.MethodGet, URL: u})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	kept := get("kept-value")
	status, value := kept.Status, kept.Get("X-N")
	reused := false
	for i := range 20 { // a pool may drop what it is given (always with -race, at times)
		n := strings.Repeat("v", i%7+1)
		r := get(n)
		if got := r.Get("X-N"); got != n {
			t.Errorf("X-N %q, want %q", got, n)
		}
		before := unsafe.StringData(r.head)
		r.Recycle()
		next := get(n)
		reused = reused || unsafe.StringData(next.head) == before
		next.Recycle()
	}
	if !reused {
		t.Error("no response read into the memory of a recycled one")
	}
	if kept.Status != status || kept.Get("X-N") != "kept-value" || value != "kept-value" || kept.StatusCode != 210 {
		t.Errorf("the response not recycled reads %q, X-N %q, want %q and kept-value", kept.Status, kept.Get("X-N"), status)
	}
	other := ResponseOf(&http.Response{StatusCode: 200, Status: "200 OK", Body: http.NoBody})
	other.Recycle() // not the Transport's: nothing to give back
	if other.Status != "200 OK" || other.Body != http.NoBody {
		t.Errorf("a response of net/http's reads %q after Recycle, want it as it was", other.Status)
	}
}
