package jsruntime

import (
	"context"
	"runtime"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// BenchmarkNewVU measures building one VU (runtime, globals, main module evaluated):
// time and bytes per VU, and the heap each live VU keeps (retained-B/VU).
func BenchmarkNewVU(b *testing.B) {
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(b, "idle.js"), ThinkTimeFactor: 1}
	vus := make([]*VU, 0, b.N)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		vu, err := NewVU(context.Background(), s, &bindings.VUInfo{ID: int64(i + 1)}, nil)
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
func BenchmarkEmptyIteration(b *testing.B) {
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(b, "empty.js"), ThinkTimeFactor: 1}
	vu := newTestVU(b, s, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := vu.Iterate(ctx, FuncDefault, int64(i), int64(i)); err != nil {
			b.Fatal(err)
		}
	}
}
