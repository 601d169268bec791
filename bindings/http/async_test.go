package http_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// silentServer accepts connections and never answers: a request to it stays in
// flight until the client gives up.
type silentServer struct {
	url     string
	arrived chan struct{} // one value per connection accepted
}

// newSilentServer starts a silentServer, stopped when the test ends.
func newSilentServer(t *testing.T) *silentServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentServer{url: "http://" + ln.Addr().String(), arrived: make(chan struct{}, 16)}
	var conns []net.Conn
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			select {
			case s.arrived <- struct{}{}:
			default:
			}
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
	})
	return s
}

// TestAsyncRequestEndsWithVU checks that the goroutine behind an asyncRequest
// ends before its VU's Close returns, however its iteration ended: by a throw
// that leaves the request in flight (nothing else would end it before its 60 s
// timeout), or by the VU being stopped while it waits.
//
// Not parallel: goleak sees every goroutine of the process, and the parallel
// tests of the package are paused while a sequential one runs.
func TestAsyncRequestEndsWithVU(t *testing.T) {
	tests := []struct {
		name, fn string
		stop     bool // stop the VU once the request has reached the server
	}{
		{"iteration threw", "orphan", false},
		{"VU stopped", "pending", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSilentServer(t)
			// The server's accept loop is running: the snapshot leaves it out.
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			vu, _ := newVU(t, "async.js", map[string]string{"SILENT": srv.url})
			// The VU's context ends only when the test stops it: in the first
			// case, Close is all that may end the request.
			ctx := context.Background()
			stopped := errors.New("VU stopped")
			if tt.stop {
				var cancel context.CancelCauseFunc
				ctx, cancel = context.WithCancelCause(ctx)
				defer cancel(nil)
				go func() {
					select {
					case <-srv.arrived:
						cancel(stopped)
					case <-ctx.Done(): // Run returned first
					case <-time.After(30 * time.Second): // only against a hang
						cancel(errors.New("the request never reached the server"))
					}
				}()
			}
			err := vu.Run(ctx, tt.fn)
			switch {
			case tt.stop && !errors.Is(err, stopped):
				t.Fatalf("Run(%s) = %v, want the stop cause", tt.fn, err)
			case !tt.stop && (err == nil || !strings.Contains(err.Error(), "thrown with a request in flight")):
				t.Fatalf("Run(%s) = %v, want the script's error", tt.fn, err)
			}
			vu.Close() // returns once the request's goroutine has ended
		})
	}
}
