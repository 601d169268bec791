package ws_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// hangBound ends a test whose socket never closes: a generous bound against
// hangs, never a timing assertion.
const hangBound = 60 * time.Second

// closedURL is a ws:// URL nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "ws://" + addr
}

func env(t *testing.T, s *wsServer) map[string]string {
	return map[string]string{"WS": s.URL, "BASE": s.Server.URL, "CLOSED": closedURL(t)}
}

// runJS runs the export fn of testdata/name in a new VU of its own, bounded.
func runJS(t *testing.T, name, fn string, e map[string]string) (*jsruntime.VU, *metrics.Registry, error) {
	t.Helper()
	tt := jstest.New(t, filepath.Join("testdata", name), jstest.Env(e))
	vu := tt.NewVU(t)
	ctx, cancel := context.WithTimeoutCause(context.Background(), hangBound, errors.New("the test hung"))
	defer cancel()
	return vu, tt.State.Metrics, vu.Run(ctx, fn)
}

// TestScripts runs every test* function of testdata/ws.js against the Go server.
func TestScripts(t *testing.T) {
	t.Parallel()
	srv := newWSServer(t)
	e := env(t, srv)
	e["WSS"] = newWSSServer(t).URL
	jstest.RunExports(t, "testdata/ws.js", "test", jstest.Env(e))
}
