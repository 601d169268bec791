package ws_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime/jstest"
)

// The stop tests are not parallel: goleak sees every goroutine of the process,
// and the parallel tests are paused while a sequential one runs.

// TestStopInReceive stops a VU blocked in receive() on a silent socket: the
// call returns at once with the stop's cause and the server sees the socket go.
func TestStopInReceive(t *testing.T) {
	srv := newWSServer(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	vu := jstest.New(t, "testdata/ws.js", jstest.Env(env(t, srv))).NewVU(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	stopped := errors.New("VU stopped")
	go func() {
		if _, err := vu.Dict.Wait(context.Background(), "connected", hangBound); err == nil {
			cancel(stopped)
		}
	}()
	err := vu.Run(ctx, "blockInReceive")
	if !errors.Is(err, stopped) {
		t.Fatalf("Run = %v, want the stop's cause", err)
	}
	if end := srv.waitEnd(t); end != "close 1001" && end != "lost" {
		t.Errorf("the server saw %q, want the socket closed (1001) or cut", end)
	}
	vu.Close()
}

// TestSocketEndsWithCall checks that a socket does not outlive the call that
// opened it when the call throws, from its own code or from a handler.
func TestSocketEndsWithCall(t *testing.T) {
	for _, tt := range []struct{ fn, msg string }{
		{"throwWithSocketOpen", "thrown with a socket open"},
		{"throwInHandler", "thrown in onmessage"},
	} {
		t.Run(tt.fn, func(t *testing.T) {
			srv := newWSServer(t)
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			vu := jstest.New(t, "testdata/ws.js", jstest.Env(env(t, srv))).NewVU(t)
			// A context that outlives the call, as a VU's iterations have: only
			// the end of the call may stop the socket.
			err := vu.Run(context.Background(), tt.fn)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Run = %v, want %q", err, tt.msg)
			}
			if end := srv.waitEnd(t); end != "close 1001" {
				t.Errorf("the server saw %q, want close 1001 (going away)", end)
			}
			vu.Close()
		})
	}
}

// TestBackgroundStops runs the stop paths of a background script holding a
// stream open, with handlers and with a receive() loop.
func TestBackgroundStops(t *testing.T) {
	for _, mode := range []string{"withHandlers", "withReceive"} {
		for _, tt := range []struct {
			fn  string
			end []string // how the server may see the socket end
		}{
			{"stopImmediately", []string{"close 1001", "lost"}},
			{"requestStop", []string{"close 1001"}},
		} {
			t.Run(mode+"/"+tt.fn, func(t *testing.T) {
				srv := newWSServer(t)
				defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
				e := env(t, srv)
				e["MODE"] = mode
				vu, _, err := runJS(t, "stops.js", tt.fn, e)
				if err != nil {
					t.Fatal(err)
				}
				if end := srv.waitEnd(t); !contains(tt.end, end) {
					t.Errorf("the server saw %q, want one of %q", end, tt.end)
				}
				vu.Close()
			})
		}
	}
}

// TestVUEndStopsSockets ends a VU whose background script holds a socket:
// by its stop mode (StopBackground, at the VU's end) or by Close at once.
func TestVUEndStopsSockets(t *testing.T) {
	for _, tt := range []struct {
		name, mode, stopMode string
		end                  []string
	}{
		{"end, stop by request", "withReceive", "request", []string{"close 1001"}},
		{"end, stop immediately", "withHandlers", "immediate", []string{"close 1001", "lost"}},
		{"close", "withHandlers", "", []string{"close 1001", "lost"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWSServer(t)
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			e := env(t, srv)
			e["MODE"], e["STOPMODE"] = tt.mode, tt.stopMode
			vu, _, err := runJS(t, "stops.js", "leaveRunning", e)
			if err != nil {
				t.Fatal(err)
			}
			begin := time.Now()
			if tt.stopMode != "" {
				vu.StopBackground()
			}
			vu.Close()
			if took := time.Since(begin); took > hangBound {
				t.Errorf("ending the VU took %s", took)
			}
			if end := srv.waitEnd(t); !contains(tt.end, end) {
				t.Errorf("the server saw %q, want one of %q", end, tt.end)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
