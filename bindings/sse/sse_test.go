package sse_test

import (
	"context"
	"errors"
	"slices"
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

const hangBound = 60 * time.Second

func runJS(t *testing.T, fn string, env map[string]string) (*jsruntime.VU, *metrics.Registry, error) {
	t.Helper()
	tt := jstest.New(t, "testdata/sse.js", jstest.Env(env))
	vu := tt.NewVU(t)
	ctx, cancel := context.WithTimeoutCause(context.Background(), hangBound, errors.New("the test hung"))
	defer cancel()
	return vu, tt.State.Metrics, vu.Run(ctx, fn)
}

// TestScripts runs the test* functions of testdata/sse.js.
func TestScripts(t *testing.T) {
	t.Parallel()
	srv := newSSEServer(t)
	env := map[string]string{"BASE": srv.URL}
	jstest.RunExports(t, "testdata/sse.js", "test", jstest.Env(env))
}

// TestReconnectLastEventID checks the reconnections of reconnects(): each
// sends the id of the last event received, and the samples count them.
func TestReconnectLastEventID(t *testing.T) {
	t.Parallel()
	srv := newSSEServer(t)
	_, reg, err := runJS(t, "reconnects", map[string]string{"BASE": srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := srv.seenLastIDs(), []string{"", "2", "4", "5"}; !slices.Equal(got, want) {
		t.Errorf("Last-Event-ID headers %q, want %q", got, want)
	}
	reg.Collect()
	url := srv.URL + "/events?n=5&per=2"
	tags := func(status string) metrics.Tags {
		return metrics.NewTags("group", "default", "url", url, "name", url, "status", status)
	}
	tot := reg.Totals()
	for _, c := range []struct {
		metric, status string
		sum            float64
	}{
		{"sse_connections", "200", 3},
		{"sse_connections", "204", 1},
		{"sse_events_received", "200", 5},
	} {
		if a := tot.Get(reg.Lookup(c.metric), tags(c.status)); a == nil || a.Sum != c.sum {
			t.Errorf("%s{status=%s} = %v, want %v", c.metric, c.status, a, c.sum)
		}
	}
	if a := tot.Get(reg.Lookup("sse_connecting"), tags("200")); a == nil || a.Count != 3 {
		t.Errorf("sse_connecting{status=200} = %v, want 3 samples", a)
	}
	if a := tot.Get(reg.Builtins().DataReceived, tags("200")); a == nil || a.Sum < 100 {
		t.Errorf("data_received = %v, want the responses (≥ 100 bytes)", a)
	}
}

// TestStops runs the stop paths of a background script reading /hold, with
// handlers and with a receive() loop, and of a VU blocked in receive(); the
// server must see each client leave. Not parallel: goleak.
func TestStops(t *testing.T) {
	for _, mode := range []string{"holdHandlers", "holdReceive"} {
		for _, fn := range []string{"stopImmediately", "requestStop"} {
			t.Run(mode+"/"+fn, func(t *testing.T) {
				srv := newSSEServer(t)
				defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
				vu, _, err := runJS(t, fn, map[string]string{"BASE": srv.URL, "MODE": mode})
				if err != nil {
					t.Fatal(err)
				}
				srv.waitLeft(t)
				vu.Close()
			})
		}
	}
	t.Run("VU stopped in receive", func(t *testing.T) {
		srv := newSSEServer(t)
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		vu := jstest.New(t, "testdata/sse.js", jstest.Env(map[string]string{"BASE": srv.URL})).NewVU(t)
		ctx, cancel := context.WithCancelCause(context.Background())
		stopped := errors.New("VU stopped")
		go func() {
			if _, err := vu.Dict.Wait(context.Background(), "connected", hangBound); err == nil {
				cancel(stopped)
			}
		}()
		if err := vu.Run(ctx, "blockInReceive"); !errors.Is(err, stopped) {
			t.Fatalf("Run = %v, want the stop's cause", err)
		}
		srv.waitLeft(t)
		vu.Close()
	})
}
