//go:build linux

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestFloorLoop: the minimal Go client counts answers with a Content-Length
// on one connection, and refuses others rather than miscount them.
func TestFloorLoop(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length: chunks
		}
		_, _ = w.Write([]byte(strings.Repeat("x", 100)))
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	req := []byte("GET /bytes HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")
	n, err := floorLoop(addr, req, time.Now().Add(100*time.Millisecond))
	if err != nil || n < 10 {
		t.Fatalf("%d answers, %v; want more than 10 and no error", n, err)
	}
	req = []byte("GET /chunked HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")
	if n, err := floorLoop(addr, req, time.Now().Add(100*time.Millisecond)); err == nil || !strings.Contains(err.Error(), "without Content-Length") {
		t.Errorf("chunked answers: %d, %v; want an error", n, err)
	}
	if err := goFloor([]string{"https://" + addr}); err == nil {
		t.Error("an https:// URL: no error")
	}
}
