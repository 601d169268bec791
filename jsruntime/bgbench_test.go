package jsruntime_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/jsload/jsload/jsruntime/jstest"
)

// BenchmarkBackgroundRoundTrip measures create → running → stopped of a small
// background script (a new runtime on a new goroutine each time).
func BenchmarkBackgroundRoundTrip(b *testing.B) {
	vu := jstest.NewVU(b, "testdata/bgbench.js")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := vu.Run(ctx, "roundTrip"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBackgroundRetained reports the heap each live, idle background script
// keeps (its runtime, goroutine stack excluded: see the load benchmark's RSS).
func BenchmarkBackgroundRetained(b *testing.B) {
	vu := jstest.NewVU(b, "testdata/bgbench.js")
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	n := max(b.N, 100)
	vu.Dict.Set("n", int64(n))
	before := heap()
	b.ResetTimer()
	if err := vu.Run(context.Background(), "startMany"); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	time.Sleep(100 * time.Millisecond) // let every script reach its sleep
	b.ReportMetric(float64(heap()-before)/float64(n), "retained-B/script")
	vu.StopBackground()
}
