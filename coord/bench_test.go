package coord

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings/rendezvous"
	"github.com/jsload/jsload/bindings/testwide"
)

// The benchmarks measure the coordinator on a real redis-server (started on a
// free loopback port; skipped without one), with 3 instances as 3 clients of
// one process: the cost of a call over loopback, not of a network.

// benchRedis starts a redis-server for the benchmark and returns its URL.
func benchRedis(b *testing.B) string {
	b.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		b.Skip("redis-server is not installed (apt-get install redis-server)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", b.TempDir())
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for range 500 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "redis://" + addr + "/0"
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.Fatal("redis-server did not start")
	return ""
}

func benchClients(b *testing.B, url, runID string, n int) []*Client {
	b.Helper()
	cs := make([]*Client, n)
	for i := range cs {
		c, err := Dial(context.Background(), Config{URL: url, RunID: runID, Index: i, Count: n, Log: os.Stderr, StartLead: 50 * time.Millisecond})
		if err != nil {
			b.Fatal(err)
		}
		cs[i] = c
	}
	b.Cleanup(func() {
		for _, c := range cs {
			_ = c.Close()
		}
	})
	return cs
}

// quantiles reports the p50 and p99 of ds in microseconds.
func quantiles(b *testing.B, name string, ds []time.Duration) {
	b.Helper()
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	q := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))]) / float64(time.Microsecond) }
	b.ReportMetric(q(0.50), name+"-p50-µs")
	b.ReportMetric(q(0.99), name+"-p99-µs")
}

// BenchmarkIncrement measures shared.increment from 3 instances with 4 VUs
// each, through the coordinator and (the reference) the in-process store.
func BenchmarkIncrement(b *testing.B) {
	url := benchRedis(b)
	cs := benchClients(b, url, "bench-incr", 3)
	for _, bc := range []struct {
		name   string
		stores []testwide.Backend
	}{
		{"in-process", []testwide.Backend{testwide.Local(&testwide.Store{})}},
		{"coordinator", []testwide.Backend{cs[0].Store(), cs[1].Store(), cs[2].Store()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var mu sync.Mutex
			var lat []time.Duration
			var wg sync.WaitGroup
			per := b.N/12 + 1
			b.ResetTimer()
			for vu := range 12 {
				s := bc.stores[vu%len(bc.stores)]
				wg.Go(func() {
					own := make([]time.Duration, 0, per)
					for range per {
						t0 := time.Now()
						if _, err := s.Increment(context.Background(), "n", int64(1)); err != nil {
							b.Error(err)
							return
						}
						own = append(own, time.Since(t0))
					}
					mu.Lock()
					lat = append(lat, own...)
					mu.Unlock()
				})
			}
			wg.Wait()
			quantiles(b, "call", lat)
		})
	}
}

// BenchmarkRendezvousRelease measures, for a wave of 6 VUs (2 per instance),
// how long after the last arrival each VU is released ("release") and how far
// apart the VUs leave ("spread"), through the coordinator and (the reference)
// in-process points.
func BenchmarkRendezvousRelease(b *testing.B) {
	url := benchRedis(b)
	cs := benchClients(b, url, "bench-rv", 3)
	local := &rendezvous.Points{}
	for _, bc := range []struct {
		name     string
		backends []rendezvous.Backend
	}{
		{"in-process", []rendezvous.Backend{local, local, local}},
		{"coordinator", []rendezvous.Backend{cs[0].Rendezvous(), cs[1].Rendezvous(), cs[2].Rendezvous()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var lat, spread []time.Duration
			for b.Loop() {
				var wg sync.WaitGroup
				left := make([]time.Time, 6)
				arrived := make([]time.Time, 6)
				for vu := range 6 {
					be := bc.backends[vu%3]
					wg.Go(func() {
						arrived[vu] = time.Now()
						if _, err := be.Arrive(context.Background(), "r", rendezvous.Options{Count: 6}, nil); err != nil {
							b.Error(err)
						}
						left[vu] = time.Now()
					})
				}
				wg.Wait()
				last := slices.MaxFunc(arrived, func(x, y time.Time) int { return x.Compare(y) })
				first := slices.MinFunc(left, func(x, y time.Time) int { return x.Compare(y) })
				for _, l := range left {
					lat = append(lat, l.Sub(last))
					spread = append(spread, l.Sub(first))
				}
			}
			quantiles(b, "release", lat)
			quantiles(b, "spread", spread)
		})
	}
}

// BenchmarkStartBarrier measures the skew between 3 instances waking at the
// start instant the barrier agreed (each on its own goroutine, sleeping until
// it as the scheduler does).
func BenchmarkStartBarrier(b *testing.B) {
	url := benchRedis(b)
	var skews []time.Duration
	run := 0
	for b.Loop() {
		run++
		b.StopTimer()
		cs := make([]*Client, 3)
		for i := range cs {
			c, err := Dial(context.Background(), Config{URL: url, RunID: fmt.Sprintf("bench-start-%d", run), Index: i, Count: 3, StartLead: 50 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
			cs[i] = c
		}
		b.StartTimer()
		woke := make([]time.Time, 3)
		var wg sync.WaitGroup
		for i, c := range cs {
			wg.Go(func() {
				at, err := c.Ready(context.Background())
				if err != nil {
					b.Error(err)
				}
				time.Sleep(time.Until(at))
				woke[i] = time.Now()
			})
		}
		wg.Wait()
		for _, c := range cs {
			_ = c.Close()
		}
		lo := slices.MinFunc(woke, func(x, y time.Time) int { return x.Compare(y) })
		hi := slices.MaxFunc(woke, func(x, y time.Time) int { return x.Compare(y) })
		skews = append(skews, hi.Sub(lo))
	}
	quantiles(b, "skew", skews)
}
