package http_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime/jstest"
)

// TestCookies runs the test* cases of testdata/cookies.js, each on a VU of its
// own: the VU's jar, jars of the script's own, per-request cookies.
func TestCookies(t *testing.T) {
	t.Parallel()
	jstest.RunExports(t, "testdata/cookies.js", "test", jstest.Env(servers(t)))
}

// TestNewBrowser runs two iterations of testdata/cookies.js on one VU, with a
// new browser before the second (VU.EndBrowser, as the scheduler does in a
// group with newBrowserEachIteration) or without, and counts the connections
// the plain target accepted: the first iteration's one, and one more for a new
// browser. The scripts check cookies, TLS handshakes and what a background
// script still running sees.
func TestNewBrowser(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		renew  bool
		second string
		conns  int64
	}{
		{"new browser", true, "newBrowser", 2},
		{"same browser", false, "sameBrowser", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servers(t)
			var conns atomic.Int64
			plain := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				target().ServeHTTP(w, r)
			}))
			plain.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			plain.Start()
			t.Cleanup(plain.Close)
			env["BASE"] = plain.URL
			vu, _ := newVU(t, "cookies.js", env)
			ctx := context.Background()
			if err := vu.Iterate(ctx, "iteration0", 0, 0); err != nil {
				t.Fatal(err)
			}
			if tt.renew {
				vu.EndBrowser(bindings.BrowserReset{})
			}
			if err := vu.Iterate(ctx, tt.second, 1, 1); err != nil {
				t.Fatal(err)
			}
			if n := conns.Load(); n != tt.conns {
				t.Errorf("the target accepted %d connections, want %d", n, tt.conns)
			}
		})
	}
}
