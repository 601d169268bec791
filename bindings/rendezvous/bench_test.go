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

// BenchmarkRelease measures the release latency of a wave: from the moment the
// last VU arrives until every released goroutine is running again (has returned
// from Arrive and read the clock). n-1 goroutines wait; the benchmark's own
// goroutine arrives last. Reported: mean and worst latency per wave.
func BenchmarkRelease(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("vus=%d", n), func(b *testing.B) {
			p, err := NewPoint("bench", Options{Count: int64(n)})
			if err != nil {
				b.Fatal(err)
			}
			base := time.Now()
			var back atomic.Int64 // latest return from Arrive, in ns since base
			var wg sync.WaitGroup
			var all sync.WaitGroup
			wg.Add(n - 1)
			for range n - 1 {
				all.Go(func() {
					for range b.N {
						if _, err := p.Arrive(context.Background(), nil); err != nil {
							b.Error(err)
						}
						now := int64(time.Since(base))
						for {
							old := back.Load()
							if now <= old || back.CompareAndSwap(old, now) {
								break
							}
						}
						wg.Done()
					}
				})
			}
			var total, worst time.Duration
			b.ResetTimer()
			for range b.N {
				for p.Waiting() < int64(n-1) {
					runtime.Gosched()
				}
				t0 := time.Since(base)
				if _, err := p.Arrive(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
				wg.Wait()
				lat := time.Duration(back.Load()) - t0
				total += lat
				worst = max(worst, lat)
				wg.Add(n - 1)
			}
			b.StopTimer()
			all.Wait()
			b.ReportMetric(float64(total)/float64(b.N)/1e6, "ms/release")
			b.ReportMetric(float64(worst)/1e6, "worst-ms")
		})
	}
}
