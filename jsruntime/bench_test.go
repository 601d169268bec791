package jsruntime_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

// BenchmarkNewVU measures building one VU (runtime, globals, main module evaluated):
// time and bytes per VU, and the heap each live VU keeps (retained-B/VU).
func BenchmarkNewVU(b *testing.B) {
	s := &jsruntime.TestState{Metrics: metrics.NewRegistry(), Program: jstest.Load(b, "testdata/idle.js"), ThinkTimeFactor: 1}
	vus := make([]*jsruntime.VU, 0, b.N)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		vu, err := jsruntime.NewVU(context.Background(), s, &bindings.VUInfo{ID: int64(i + 1)}, nil)
		if err != nil {
			b.Fatal(err)
		}
		vus = append(vus, vu)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(b.N), "retained-B/VU")
	for _, vu := range vus {
		vu.Close()
	}
}

// BenchmarkEmptyIteration measures one iteration of an empty default function on one
// VU: the floor of jsload's per-iteration cost.
func BenchmarkEmptyIteration(b *testing.B) { benchIterations(b, "testdata/empty.js", false) }

// BenchmarkEmptyIterationNewBrowser is BenchmarkEmptyIteration in a group with
// a new browser each iteration: after each iteration EndBrowser, before the
// next the HTTP binding's reset (the script imports jsload/http, which
// subscribes to it) of an empty cookie jar and no idle connection. It must
// allocate nothing more than BenchmarkEmptyIteration.
func BenchmarkEmptyIterationNewBrowser(b *testing.B) {
	benchIterations(b, "testdata/emptyhttp.js", true)
}

// benchIterations runs b.N iterations of the default function of the script at
// path on one VU, ending the iteration's browser after each if newBrowser.
func benchIterations(b *testing.B, path string, newBrowser bool) {
	vu := jstest.NewVU(b, path)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := vu.Iterate(ctx, jsruntime.FuncDefault, int64(i), int64(i)); err != nil {
			b.Fatal(err)
		}
		if newBrowser {
			vu.EndBrowser(bindings.BrowserReset{})
		}
	}
}
