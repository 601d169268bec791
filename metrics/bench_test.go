package metrics

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkSinkAdd measures the per-sample cost of the hot path: one VU
// recording into its own sink, and 8 VUs recording into 8 sinks in parallel
// (no lock is shared between them, so this should scale with cores).
func BenchmarkSinkAdd(b *testing.B) {
	r := NewRegistry()
	bm := r.Builtins()
	tags := NewTags("method", "GET", "name", "http://127.0.0.1/api/products", "status", "200")
	group := NewSeriesGroup(bm.HTTPReqs, bm.HTTPReqDuration, bm.HTTPReqWaiting, bm.HTTPReqFailed, bm.DataReceived)
	kinds := []struct {
		name string
		add  func(s *Sink, i int)
	}{
		{"counter", func(s *Sink, i int) { s.Add(bm.HTTPReqs, tags, 1) }},
		{"trend", func(s *Sink, i int) { s.Add(bm.HTTPReqDuration, tags, float64(i&1023)*0.173) }},
		{"request", func(s *Sink, i int) { // what one HTTP request records
			d := float64(i&1023) * 0.173
			s.Add(bm.HTTPReqs, tags, 1)
			s.Add(bm.HTTPReqDuration, tags, d)
			s.Add(bm.HTTPReqWaiting, tags, d)
			s.AddBool(bm.HTTPReqFailed, tags, false)
			s.Add(bm.DataReceived, tags, 100)
		}},
		{"request-batch", func(s *Sink, i int) { // the same under one lock
			d := float64(i&1023) * 0.173
			s.AddSamples(tags, Sample{bm.HTTPReqs, 1}, Sample{bm.HTTPReqDuration, d},
				Sample{bm.HTTPReqWaiting, d}, Sample{bm.HTTPReqFailed, 0}, Sample{bm.DataReceived, 100})
		}},
		{"request-group", func(s *Sink, i int) { // the same with one series lookup
			d := float64(i&1023) * 0.173
			s.AddGroup(group, tags, 1, d, d, 0, 100)
		}},
	}
	for _, k := range kinds {
		b.Run(k.name+"/single", func(b *testing.B) {
			s := r.NewSink()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k.add(s, i)
			}
		})
		b.Run(k.name+"/parallel-8-sinks", func(b *testing.B) {
			sinks := make([]*Sink, 8)
			for i := range sinks {
				sinks[i] = r.NewSink()
			}
			var next atomic.Int32
			b.SetParallelism(max(1, len(sinks)/runtime.GOMAXPROCS(0))) // 8 goroutines (more on > 8 procs), one per sink
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				s := sinks[int(next.Add(1)-1)%len(sinks)]
				for i := 0; pb.Next(); i++ {
					k.add(s, i)
				}
			})
		})
	}
}

// BenchmarkSinkManyVUs measures what one iteration of an HTTP test records,
// a request's group of 11 samples and the iteration's two samples, with 200
// VUs taking turns, as on a busy machine: each VU's series are out of the
// CPU's cache when its turn comes. (The collector drains the sinks every
// 100,000 iterations, about once a second of such a test.)
func BenchmarkSinkManyVUs(b *testing.B) {
	r := NewRegistry()
	bm := r.Builtins()
	group := NewSeriesGroup(bm.HTTPReqs, bm.HTTPReqDuration, bm.HTTPReqBlocked, bm.HTTPReqConnecting,
		bm.HTTPReqTLSHandshaking, bm.HTTPReqSending, bm.HTTPReqWaiting, bm.HTTPReqReceiving, bm.HTTPReqFailed,
		bm.DataSent, bm.DataReceived)
	sinks := make([]*Sink, 200)
	for i := range sinks {
		sinks[i] = r.NewSink()
	}
	vuTags := NewTags("group", "default")
	reqTags := vuTags.Merge(NewTags("method", "GET", "status", "200", "name", "http://127.0.0.1/bytes"))
	rng := rand.New(rand.NewPCG(3, 3))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s := sinks[i%len(sinks)]
		d := 2 + rng.NormFloat64()*0.1 // a request of about 2 ms
		s.AddGroup(group, reqTags, 1, d, 0, 0, 0, d*0.01, d*0.9, d*0.09, 0, 120, 160)
		s.AddSamples(vuTags, Sample{bm.Iterations, 1}, Sample{bm.IterationDuration, d * 1.05})
		if i%100_000 == 0 {
			r.Collect()
		}
	}
}

// BenchmarkCollect measures draining 500 VU sinks with 10 series each.
func BenchmarkCollect(b *testing.B) {
	r := NewRegistry()
	bm := r.Builtins()
	sinks := make([]*Sink, 500)
	tags := make([]Tags, 10)
	for i := range tags {
		tags[i] = NewTags("name", string(rune('a'+i)))
	}
	for i := range sinks {
		sinks[i] = r.NewSink()
	}
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range sinks {
			for _, tg := range tags {
				s.Add(bm.HTTPReqDuration, tg, rng.ExpFloat64()*50)
				s.Add(bm.HTTPReqs, tg, 1)
			}
		}
		r.Collect()
	}
}

// BenchmarkCollectManySeries measures one Collect when the totals already
// hold 4,000 trend series and the interval touches some of them: the cost
// should follow the series touched, not the series ever seen.
func BenchmarkCollectManySeries(b *testing.B) {
	const series = 4000
	for _, touched := range []int{100, series} {
		b.Run(fmt.Sprintf("touched-%d-of-%d", touched, series), func(b *testing.B) {
			r, s, tags := manySeries(series)
			m := r.Builtins().HTTPReqDuration
			rng := rand.New(rand.NewPCG(2, 2))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				for j := range touched {
					s.Add(m, tags[(i*touched+j)%series], rng.ExpFloat64()*50)
				}
				r.Collect()
			}
		})
	}
}

// BenchmarkMergeSnapshots measures adding one interval touching 100 series
// to a hot-reload generation of 4,000 trend series, as watch mode does each
// interval.
func BenchmarkMergeSnapshots(b *testing.B) {
	const series, touched = 4000, 100
	r, s, tags := manySeries(series)
	m := r.Builtins().HTTPReqDuration
	generation := r.Totals()
	for j := range touched {
		s.Add(m, tags[j], 42)
	}
	iv := r.Collect()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = MergeSnapshots(generation, iv)
	}
}

// manySeries returns a registry whose totals hold n series of
// http_req_duration, each with 200 samples spread over several histogram
// chunks, the sink they were recorded into and their tags.
func manySeries(n int) (*Registry, *Sink, []Tags) {
	r := NewRegistry()
	m := r.Builtins().HTTPReqDuration
	s := r.NewSink()
	tags := make([]Tags, n)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range tags {
		tags[i] = NewTags("name", fmt.Sprintf("http://127.0.0.1/api/item/%d", i))
		for range 200 {
			s.Add(m, tags[i], rng.ExpFloat64()*50)
		}
	}
	r.Collect()
	return r, s, tags
}

// BenchmarkHistogramAdd measures one Trend sample into a histogram.
func BenchmarkHistogramAdd(b *testing.B) {
	var h Histogram
	for i := 0; b.Loop(); i++ {
		h.Add(float64(i&4095) * 0.173)
	}
}

// BenchmarkSeriesPoint measures what the run folder's series costs the
// collector each interval: one SeriesPoint of an interval whose requests
// touched 100 or 4,000 series of http_req_duration (in two groups, with
// transactions), beside the Collect that made the interval.
func BenchmarkSeriesPoint(b *testing.B) {
	const series = 4000
	for _, touched := range []int{100, series} {
		b.Run(fmt.Sprintf("touched-%d-of-%d", touched, series), func(b *testing.B) {
			r, s, tags := manySeries(series)
			bt := r.Builtins()
			rng := rand.New(rand.NewPCG(2, 2))
			for j := range touched {
				t := tags[j%series].With(TagGroup, []string{"a", "b"}[j%2])
				s.Add(bt.HTTPReqDuration, t, rng.ExpFloat64()*50)
				s.Add(bt.HTTPReqs, t, 1)
			}
			s.Transaction(Tags{}, "buy", time.Second, true)
			iv := r.Collect()
			b.ReportAllocs()
			for b.Loop() {
				NewSeriesPoint(iv, t0)
			}
		})
	}
}
