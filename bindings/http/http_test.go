package http_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	if os.Getenv(benchServerEnv) != "" {
		serveBenchTarget() // the target process of BenchmarkGetCPU
		return
	}
	goleak.VerifyTestMain(m)
}

// newVU builds VU 1 of the testdata script name, with env as __ENV, on the calling
// goroutine, and returns it with its metric registry.
func newVU(tb testing.TB, name string, env map[string]string) (*jsruntime.VU, *metrics.Registry) {
	tb.Helper()
	tt := jstest.New(tb, filepath.Join("testdata", name), jstest.Env(env))
	return tt.NewVU(tb), tt.State.Metrics
}

// TestScripts runs each case of testdata/http.js on a VU of its own against fresh
// servers; a case throws when the behaviour is wrong.
func TestScripts(t *testing.T) {
	t.Parallel()
	for _, fn := range []string{
		"methods", "bodies", "headers", "defaults", "repeatedHeads", "cookies", "backgroundCookies", "redirects", "timeout", "refused", "dns",
		"tls", "reset", "batch", "batchParallel", "responseTypes", "json", "responseObject", "auth", "asyncRequests",
		"digest", "encodings", "head", "bodyLimit", "unsizedBodies", "droppedResponses",
	} {
		t.Run(fn, func(t *testing.T) {
			t.Parallel()
			vu, _ := newVU(t, "http.js", servers(t))
			if err := vu.Run(context.Background(), fn); err != nil {
				t.Fatalf("%s: %v", fn, err)
			}
		})
	}
}

// TestMetrics checks the samples requests record, and their tags.
func TestMetrics(t *testing.T) {
	t.Parallel()
	env := servers(t)
	tests := []struct {
		fn     string
		metric func(*metrics.Builtins) *metrics.Metric
		tags   metrics.Tags
		count  uint64  // samples in the series
		value  float64 // Sum for counters, Trues for rates
	}{
		{"tagged", func(b *metrics.Builtins) *metrics.Metric { return b.HTTPReqs },
			metrics.NewTags("group", "default", "method", "GET", "status", "200", "name", "tagged", "kind", "x"), 1, 1},
		{"tagged", func(b *metrics.Builtins) *metrics.Metric { return b.HTTPReqFailed },
			metrics.NewTags("group", "default", "method", "GET", "status", "200", "name", "tagged", "kind", "x"), 1, 0},
		{"tagged", func(b *metrics.Builtins) *metrics.Metric { return b.HTTPReqFailed },
			metrics.NewTags("group", "default", "method", "GET", "status", "404", "url", env["BASE"]+"/status?code=404", "name", env["BASE"]+"/status?code=404"), 1, 1},
		{"refused", func(b *metrics.Builtins) *metrics.Metric { return b.HTTPReqFailed },
			metrics.NewTags("group", "default", "method", "GET", "status", "0", "url", env["REFUSED"], "name", env["REFUSED"], "error_code", "1212"), 1, 1},
		{"redirects", func(b *metrics.Builtins) *metrics.Metric { return b.HTTPReqs },
			metrics.NewTags("group", "default", "method", "GET", "status", "302", "url", env["BASE"]+"/redirect?n=1", "name", env["BASE"]+"/redirect?n=1"), 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			t.Parallel()
			vu, reg := newVU(t, "http.js", env)
			if err := vu.Run(context.Background(), tt.fn); err != nil {
				t.Fatalf("%s: %v", tt.fn, err)
			}
			reg.Collect()
			m := tt.metric(reg.Builtins())
			a := reg.Totals().Get(m, tt.tags)
			if a == nil {
				t.Fatalf("no %s series tagged %s; have %v", m.Name(), tt.tags, reg.Totals().SeriesOf(m))
			}
			value := a.Sum
			if m == reg.Builtins().HTTPReqFailed {
				value = float64(a.Trues)
			}
			if a.Count != tt.count || value != tt.value {
				t.Errorf("%s{%s}: count %d value %v, want %d and %v", m.Name(), tt.tags, a.Count, value, tt.count, tt.value)
			}
		})
	}
}

// TestDroppedResponses checks that the body of a response the script drops (a
// statement of the call alone) is read but not kept: its requests are
// recorded as those of kept ones are, and allocate a fraction of what kept
// 100 KiB bodies do (keptBodies); with a default import, a named one, and
// k6/http. Each function is measured on its second run, after its VU's
// connection and first calls. It is not parallel: it measures the process's
// allocations.
func TestDroppedResponses(t *testing.T) {
	const requests, size = 20, 102400
	env := servers(t)
	allocated := func(t *testing.T, script, fn string) (uint64, *metrics.Registry) {
		vu, reg := newVU(t, script, env)
		var before, after runtime.MemStats
		for range 2 {
			runtime.ReadMemStats(&before)
			if err := vu.Run(context.Background(), fn); err != nil {
				t.Fatalf("%s: %v", fn, err)
			}
			runtime.ReadMemStats(&after)
		}
		return after.TotalAlloc - before.TotalAlloc, reg
	}
	kept, _ := allocated(t, "http.js", "keptBodies")
	if kept < requests*size {
		t.Fatalf("20 kept bodies of 100 KiB allocated %d bytes in all: the measure misses them", kept)
	}
	for _, tt := range []struct{ script, fn string }{
		{"http.js", "droppedBodies"}, {"http.js", "droppedNamed"}, {"dropk6.js", "droppedBodies"},
	} {
		t.Run(tt.script+"/"+tt.fn, func(t *testing.T) {
			dropped, reg := allocated(t, tt.script, tt.fn)
			t.Logf("20 responses of 100 KiB allocated %d bytes kept, %d dropped", kept, dropped)
			// Not all of the bodies: under the race detector sync.Pool drops a
			// quarter of what is put back, and the buffer dropped bodies are read
			// into is allocated again (16 KiB per request on average).
			if kept < dropped+requests*size/2 {
				t.Errorf("20 dropped responses of 100 KiB allocated %d bytes, 20 kept ones %d: dropped bodies are kept", dropped, kept)
			}
			reg.Collect()
			tot, b := reg.Totals(), reg.Builtins()
			if n := tot.Sum(b.HTTPReqs, metrics.Tags{}).Sum; n != 2*requests {
				t.Errorf("http_reqs = %v, want %d", n, 2*requests)
			}
			if got := tot.Sum(b.DataReceived, metrics.Tags{}).Sum; got < 2*requests*size {
				t.Errorf("data_received = %v, want every body (%d bytes)", got, 2*requests*size)
			}
		})
	}
}

// TestDataAndTimings checks that a request's bytes and phases reach the metrics.
func TestDataAndTimings(t *testing.T) {
	t.Parallel()
	vu, reg := newVU(t, "http.js", servers(t))
	if err := vu.Run(context.Background(), "headers"); err != nil {
		t.Fatal(err)
	}
	reg.Collect()
	tot, b := reg.Totals(), reg.Builtins()
	if sent := tot.Sum(b.DataSent, metrics.Tags{}).Sum; sent < 100 {
		t.Errorf("data_sent = %v, want the request line and headers (≥ 100 bytes)", sent)
	}
	if got := tot.Sum(b.DataReceived, metrics.Tags{}).Sum; got < 300 {
		t.Errorf("data_received = %v, want the status line, headers and JSON body (≥ 300 bytes)", got)
	}
	for _, m := range []*metrics.Metric{b.HTTPReqDuration, b.HTTPReqWaiting, b.HTTPReqConnecting} {
		if a := tot.Sum(m, metrics.Tags{}); a.Count != 2 || a.Max <= 0 {
			t.Errorf("%s: count %d max %v, want 2 samples (one per request), one positive", m.Name(), a.Count, a.Max)
		}
	}
}

// TestCancelAbortsRequest stops a VU while its request waits for a slow server:
// the call returns promptly with the cause, and the request is recorded as
// interrupted: failed, error_code 1060, interrupted=true, its duration so far.
// hangAsync does it with an asyncRequest, whose callback will not run: the
// request records from its goroutine, before the VU's close returns.
func TestCancelAbortsRequest(t *testing.T) {
	t.Parallel()
	for _, fn := range []string{"hang", "hangAsync"} {
		t.Run(fn, func(t *testing.T) {
			t.Parallel()
			testCancelAbortsRequest(t, fn)
		})
	}
}

func testCancelAbortsRequest(t *testing.T, fn string) {
	// The VU is stopped once the server has its request, however slow the
	// machine is to get there: the request is then in flight.
	arrived := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case arrived <- struct{}{}:
			default:
			}
		}
		target().ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	vu, reg := newVU(t, "http.js", map[string]string{"BASE": slow.URL})
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	cause := errors.New("vu stopped")
	var cancelled atomic.Int64 // UnixNano
	go func() {
		select {
		case <-arrived:
			cancelled.Store(time.Now().UnixNano())
			cancel(cause)
		case <-ctx.Done(): // Run returned first
		}
	}()
	err := vu.Run(ctx, fn)
	returned := time.Now()
	if !errors.Is(err, cause) {
		t.Fatalf("Run(hang) = %v, want the cancel cause", err)
	}
	// The server holds the request for 10 s: a generous bound, well under that,
	// tells an aborted request from one that ran its course.
	if took := returned.Sub(time.Unix(0, cancelled.Load())); took > 5*time.Second {
		t.Errorf("returned %v after cancel, want promptly", took)
	}
	vu.Close() // waits for the goroutines of asyncRequest
	reg.Collect()
	tot, b := reg.Totals(), reg.Builtins()
	cut := metrics.NewTags("interrupted", "true", "error_code", "1060", "status", "0")
	if n := tot.Sum(b.HTTPReqs, metrics.Tags{}).Count; n != 1 {
		t.Errorf("an interrupted request recorded %d samples of http_reqs, want 1", n)
	}
	if a := tot.Sum(b.HTTPReqFailed, cut); a.Count != 1 || a.Trues != 1 {
		t.Errorf("http_req_failed{%s}: %d samples, %d true; want 1 failed", cut, a.Count, a.Trues)
	}
	if d := tot.Sum(b.HTTPReqDuration, cut); d.Count != 1 || d.Max <= 0 {
		t.Errorf("http_req_duration{%s}: %d samples, max %v; want its duration so far", cut, d.Count, d.Max)
	}
}
