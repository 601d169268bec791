package jsruntime

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/jsload/jsload/metrics"
)

// BenchmarkBackgroundRoundTrip measures create → running → stopped of a small
// background script (a new runtime on a new goroutine each time).
func BenchmarkBackgroundRoundTrip(b *testing.B) {
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(b, "bgbench.js"), ThinkTimeFactor: 1}
	vu := newTestVU(b, s, 1)
	fn := vu.Func("roundTrip")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := vu.main.call(context.Background(), fn); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBackgroundRetained reports the heap each live, idle background script
// keeps (its runtime, goroutine stack excluded: see the load benchmark's RSS).
func BenchmarkBackgroundRetained(b *testing.B) {
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(b, "bgbench.js"), ThinkTimeFactor: 1}
	vu := newTestVU(b, s, 1)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	n := max(b.N, 100)
	before := heap()
	args, _ := vu.main.rt.RunString(fmt.Sprintf("({ n: %d })", n))
	b.ResetTimer()
	if _, err := vu.main.call(context.Background(), vu.Func("startMany"), args); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	time.Sleep(100 * time.Millisecond) // let every script reach its sleep
	b.ReportMetric(float64(heap()-before)/float64(n), "retained-B/script")
	vu.StopBackground()
}
