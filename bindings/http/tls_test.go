package http_test

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestHTTPS checks the VU's own client over TLS, against servers that count
// their connections and resumed handshakes: a VU uses one HTTP/2 connection
// for all its requests to a host, a batch's included (its streams), and
// HTTP/1.1 connections that resume the VU's TLS session when new ones are
// needed (testdata/http.js, https*).
func TestHTTPS(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		fn          string
		h2          bool
		conns       int32 // connections the server saw
		minResumed  int32 // handshakes of them that resumed a session
		description string
	}{
		{"httpsH2", true, 1, 0, "sequential requests and a batch of 10 over HTTP/2: one connection"},
		{"httpsH1", false, 5, 4, "a batch of 5 over TLS HTTP/1.1: 5 connections, 4 resuming the first's session"},
	} {
		t.Run(tt.fn, func(t *testing.T) {
			t.Parallel()
			var conns, resumed atomic.Int32
			srv := httptest.NewUnstartedServer(target())
			srv.EnableHTTP2 = tt.h2
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.TLS = &tls.Config{VerifyConnection: func(cs tls.ConnectionState) error {
				if cs.DidResume {
					resumed.Add(1)
				}
				return nil
			}}
			srv.StartTLS()
			t.Cleanup(srv.Close)
			vu, _ := newVU(t, "http.js", map[string]string{"HTTPS_BASE": srv.URL})
			if err := vu.Run(context.Background(), tt.fn); err != nil {
				t.Fatalf("%s: %v", tt.fn, err)
			}
			if c, r := conns.Load(), resumed.Load(); c != tt.conns || r < tt.minResumed {
				t.Errorf("%s: %d connections, %d resumed; want %d connections, at least %d resumed", tt.description, c, r, tt.conns, tt.minResumed)
			}
		})
	}
}
