package dict

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"
)

// BenchmarkWakeup measures the time from Set on one goroutine to WaitChange
// returning on another, and reports its p50 and p99 in microseconds (targets:
// 20 and 100).
func BenchmarkWakeup(b *testing.B) {
	for _, layer := range []string{"store", "overlay"} {
		b.Run(layer, func(b *testing.B) {
			s := New()
			w := s
			if layer == "overlay" {
				w = s.Overlay()
			}
			ctx := context.Background()
			lat := make([]time.Duration, 0, b.N)
			var t0 time.Time
			done := make(chan struct{})
			go func() {
				defer close(done)
				for range b.N {
					if _, err := w.WaitChange(ctx, "k", 0); err != nil {
						panic(err)
					}
					lat = append(lat, time.Since(t0)) // t0 was written before Set: ordered by the wake
				}
			}()
			for i := range b.N {
				for s.waiting() == 0 { // until the waiter is blocked
					runtime.Gosched()
				}
				t0 = time.Now()
				s.Set("k", int64(i))
			}
			<-done
			reportPercentiles(b, lat)
		})
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Microsecond)
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// parallel8 makes b.RunParallel use 8 goroutines whatever GOMAXPROCS is.
func parallel8(b *testing.B) {
	p := runtime.GOMAXPROCS(0)
	b.SetParallelism((8 + p - 1) / p)
}

func preloaded() (*Store, []string) {
	s := New()
	keys := make([]string, 64)
	for i := range keys {
		keys[i] = fmt.Sprintf("key%d", i)
		s.Set(keys[i], fmt.Sprintf("value%d", i))
	}
	return s, keys
}

// BenchmarkGetParallel reads one Store from 8 goroutines.
func BenchmarkGetParallel(b *testing.B) {
	s, keys := preloaded()
	parallel8(b)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, ok := s.Get(keys[i&63]); !ok {
				panic("missing")
			}
			i++
		}
	})
}

// BenchmarkSetParallel writes one Store from 8 goroutines.
func BenchmarkSetParallel(b *testing.B) {
	s, keys := preloaded()
	parallel8(b)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			s.Set(keys[i&63], "v")
			i++
		}
	})
}

// BenchmarkMixedParallel does 90% reads and 10% writes from 8 goroutines.
func BenchmarkMixedParallel(b *testing.B) {
	s, keys := preloaded()
	parallel8(b)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if i%10 == 0 {
				s.Set(keys[i&63], "v")
			} else {
				s.Get(keys[i&63])
			}
			i++
		}
	})
}

// BenchmarkOverlayGet reads through an overlay to its parent.
func BenchmarkOverlayGet(b *testing.B) {
	s, keys := preloaded()
	o := s.Overlay()
	i := 0
	for b.Loop() {
		o.Get(keys[i&63])
		i++
	}
}
