package metrics

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// segmentRegistry records, as one segment of a distributed test would, the
// samples of each VU (http_req_duration, in ms, one series per status) and a
// vus_max gauge of vus.
func segmentRegistry(vus float64, samples ...[]float64) *Registry {
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	for _, vals := range samples {
		for i, v := range vals {
			s.Add(b.HTTPReqDuration, NewTags("status", fmt.Sprint(200+i%3)), v)
		}
	}
	s.Add(b.VUsMax, Tags{}, vus)
	s.Close()
	r.CollectAt(t0.Add(10 * time.Second))
	return r
}

// roundTrip writes e and reads it back, as jsload merge reads files.
func roundTrip(t *testing.T, e *Export) *Export {
	t.Helper()
	var buf bytes.Buffer
	if err := e.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadExport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// TestMergeExportsExact: the merged exports of segments give the percentiles,
// count, min and max of one histogram of all their samples, per series and
// for the whole metric, and their gauges add up.
func TestMergeExportsExact(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		n := 1 + r.IntN(8)
		var all [][]float64
		var exports []*Export
		for range n {
			vals := make([]float64, r.IntN(3000))
			for i := range vals {
				vals[i] = r.ExpFloat64() * 100 * float64(1+trial)
			}
			all = append(all, vals)
			exports = append(exports, roundTrip(t, NewExport(segmentRegistry(2, vals).Totals(), nil)))
		}
		merged, err := MergeExports(exports...)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := roundTrip(t, merged).Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		one := segmentRegistry(2*float64(n), all...).Totals()
		for _, f := range []Tags{{}, NewTags("status", "201")} {
			got, want := ms.Sum(ms.Metric("http_req_duration"), f), one.Sum(one.Metric("http_req_duration"), f)
			if got.Count != want.Count || got.Min != want.Min || got.Max != want.Max {
				t.Errorf("trial %d {%s}: count/min/max %d/%v/%v, one histogram %d/%v/%v", trial, f, got.Count, got.Min, got.Max, want.Count, want.Min, want.Max)
			}
			for _, p := range []float64{0, 1, 50, 90, 95, 99, 99.9, 100} {
				if g, w := got.Percentile(p), want.Percentile(p); g != w {
					t.Errorf("trial %d {%s}: merged p(%v) = %v, one histogram of all samples %v", trial, f, p, g, w)
				}
			}
		}
		if got := ms.Sum(ms.Metric("vus_max"), Tags{}).Last; got != 2*float64(n) {
			t.Errorf("trial %d: merged vus_max of %d segments of 2 VUs = %v, want %d", trial, n, got, 2*n)
		}
	}
}

// BenchmarkMerge16Exports measures jsload merge's work on 16 segment exports
// of 100 series of 5000 samples each: "read" decodes the JSON files and
// merges them, "merge" only merges the decoded exports.
func BenchmarkMerge16Exports(b *testing.B) {
	var docs [][]byte
	r := rand.New(rand.NewPCG(3, 4))
	for range 16 {
		reg := NewRegistry()
		reg.SetStart(t0)
		s := reg.NewSink()
		for i := range 5000 * 100 {
			s.Add(reg.Builtins().HTTPReqDuration, NewTags("name", fmt.Sprint(i%100)), 20+r.ExpFloat64()*120)
		}
		s.Close()
		reg.CollectAt(t0.Add(time.Minute))
		var buf bytes.Buffer
		if err := NewExport(reg.Totals(), nil).Write(&buf); err != nil {
			b.Fatal(err)
		}
		docs = append(docs, buf.Bytes())
	}
	read := func() []*Export {
		exports := make([]*Export, len(docs))
		for i, d := range docs {
			e, err := ReadExport(bytes.NewReader(d))
			if err != nil {
				b.Fatal(err)
			}
			exports[i] = e
		}
		return exports
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := MergeExports(read()...); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(docs[0]))/1e6, "MB/export")
	})
	b.Run("merge", func(b *testing.B) {
		exports := read()
		for b.Loop() {
			if _, err := MergeExports(exports...); err != nil {
				b.Fatal(err)
			}
		}
	})
}
