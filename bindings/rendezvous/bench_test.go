package rendezvous

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ReleaseTimer measures the release latency of waves for the release benchmarks,
// here and in script_test.go (package rendezvous_test, hence exported): from the
// last arrival until the latest of the n-1 other VUs is back from the wave.
type ReleaseTimer struct {
	n    int
	base time.Time
	back atomic.Int64 // latest return from a wave, in ns since base
	wg   sync.WaitGroup
}

// NewReleaseTimer returns a timer for waves of n VUs.
func NewReleaseTimer(n int) *ReleaseTimer {
	t := &ReleaseTimer{n: n, base: time.Now()}
	t.wg.Add(n - 1)
	return t
}

// Back records that one of the n-1 waiting VUs is back from its wave. Safe from
// any goroutine.
func (t *ReleaseTimer) Back() {
	now := int64(time.Since(t.base))
	for old := t.back.Load(); now > old && !t.back.CompareAndSwap(old, now); old = t.back.Load() {
	}
	t.wg.Done()
}

// Run times b.N waves. Before wave i (from 0) ready, untimed, returns once the
// other VUs wait; then arrive makes the last arrival. It reports the mean and
// worst latency per wave.
func (t *ReleaseTimer) Run(b *testing.B, ready func(i int), arrive func()) {
	var total, worst time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		ready(i)
		b.StartTimer()
		t0 := time.Since(t.base)
		arrive()
		t.wg.Wait()
		lat := time.Duration(t.back.Load()) - t0
		total += lat
		worst = max(worst, lat)
		t.wg.Add(t.n - 1)
	}
	b.StopTimer()
	b.ReportMetric(float64(total)/float64(b.N)/1e6, "ms/release")
	b.ReportMetric(float64(worst)/1e6, "worst-ms")
}

// BenchmarkRelease measures the release latency of a wave: from the moment the
// last VU arrives until every released goroutine is running again (has returned
// from Arrive and read the clock). n-1 goroutines wait; the benchmark's own
// goroutine arrives last. Reported: mean and worst latency per wave.
func BenchmarkRelease(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("vus=%d", n), func(b *testing.B) {
			p, err := NewPoint(Options{Count: int64(n)})
			if err != nil {
				b.Fatal(err)
			}
			rt := NewReleaseTimer(n)
			var all sync.WaitGroup
			for range n - 1 {
				all.Go(func() {
					for range b.N {
						if _, err := p.Arrive(context.Background(), nil); err != nil {
							b.Error(err)
						}
						rt.Back()
					}
				})
			}
			rt.Run(b, func(int) {
				for p.Waiting() < int64(n-1) {
					runtime.Gosched()
				}
			}, func() {
				if _, err := p.Arrive(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
			})
			all.Wait()
		})
	}
}
