package metrics

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// exactQuantile interpolates between the two samples around q*(n-1), the
// definition k6 uses.
func exactQuantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}

func TestHistogramAccuracy(t *testing.T) {
	t.Parallel()
	const n = 1_000_000
	dists := []struct {
		name string
		gen  func(r *rand.Rand) float64
	}{
		{"uniform 0-1000", func(r *rand.Rand) float64 { return r.Float64() * 1000 }},
		{"exponential mean 50", func(r *rand.Rand) float64 { return r.ExpFloat64() * 50 }},
		{"lognormal mu 3 sigma 1", func(r *rand.Rand) float64 { return math.Exp(3 + r.NormFloat64()) }},
		{"normal 200±30", func(r *rand.Rand) float64 { return 200 + 30*r.NormFloat64() }},
	}
	qs := []float64{0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999}
	for i, d := range dists {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(uint64(i), 42))
			var h Histogram
			samples := make([]float64, n)
			for j := range samples {
				samples[j] = d.gen(r)
				h.Add(samples[j])
			}
			slices.Sort(samples)
			if h.Count() != n || h.Min() != samples[0] || h.Max() != samples[n-1] {
				t.Fatalf("count/min/max = %d/%v/%v, want %d/%v/%v", h.Count(), h.Min(), h.Max(), n, samples[0], samples[n-1])
			}
			for _, q := range qs {
				want := exactQuantile(samples, q)
				got := h.Quantile(q)
				if rel := math.Abs(got-want) / math.Abs(want); rel > 0.01 {
					t.Errorf("Quantile(%v) = %v, exact %v: relative error %.4f > 1%%", q, got, want, rel)
				}
			}
			if fp := h.footprint(); fp > 64<<10 {
				t.Errorf("footprint after %d samples = %d bytes, want < 64 KiB", n, fp)
			}
		})
	}
}

func TestHistogramFootprint(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	var h Histogram
	if fp := h.footprint(); fp > 128 {
		t.Errorf("empty histogram footprint = %d, want <= 128", fp)
	}
	for range 100 {
		h.Add(20 + r.Float64()*2) // a lightly used series: ~20ms responses
	}
	if fp := h.footprint(); fp > 1024 {
		t.Errorf("100 samples in a narrow range: footprint = %d, want <= 1 KiB", fp)
	}
	before := 0
	for i := range 2_000_000 {
		if i == 10_000 {
			before = h.footprint()
		}
		h.Add(math.Exp(3 + r.NormFloat64()))
	}
	if after := h.footprint(); after > before*2 || after > 16<<10 {
		t.Errorf("footprint grew from %d (10k samples) to %d (2M samples): memory must not follow the sample count", before, after)
	}
}

func TestHistogramEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []float64
		q      float64
		want   float64
	}{
		{"empty", nil, 0.5, 0},
		{"single", []float64{42}, 0.5, 42},
		{"q0 is min", []float64{3, 1, 2}, 0, 1},
		{"q1 is max", []float64{3, 1, 2}, 1, 3},
		{"zeros", []float64{0, 0, 0, 5}, 0.5, 0},
		{"tiny counts as zero", []float64{1e-12, 1e-12, 1}, 0.4, 1e-12},
		{"negatives", []float64{-10, -20, -30, 5}, 1.0 / 3, -20},
		{"interpolated", []float64{10, 20}, 0.25, 12.5},
		{"nan and inf ignored", []float64{math.NaN(), math.Inf(1), 7, math.Inf(-1)}, 0.5, 7},
		{"huge", []float64{1e300, 1e300}, 0.5, 1e300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h Histogram
			for _, v := range tt.values {
				h.Add(v)
			}
			got := h.Quantile(tt.q)
			if tt.want == 0 && got != 0 || math.Abs(got-tt.want) > math.Abs(tt.want)*HistogramRelativeError {
				t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestHistogramMergeEqualsCombined(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	var all Histogram
	parts := make([]Histogram, 8)
	for i := range 200_000 {
		v := r.ExpFloat64()*100 - 10 // some negatives too
		all.Add(v)
		parts[i%len(parts)].Add(v)
	}
	var merged Histogram
	for i := range parts {
		merged.Merge(&parts[i])
	}
	if merged.Count() != all.Count() || merged.Min() != all.Min() || merged.Max() != all.Max() {
		t.Fatalf("merged count/min/max %d/%v/%v, want %d/%v/%v",
			merged.Count(), merged.Min(), merged.Max(), all.Count(), all.Min(), all.Max())
	}
	if math.Abs(merged.Sum()-all.Sum()) > 1e-6*math.Abs(all.Sum()) {
		t.Errorf("merged sum %v, want %v", merged.Sum(), all.Sum())
	}
	for _, q := range []float64{0.001, 0.1, 0.5, 0.9, 0.99, 0.9999} {
		if got, want := merged.Quantile(q), all.Quantile(q); got != want {
			t.Errorf("Quantile(%v): merged %v, combined %v", q, got, want)
		}
	}
}

func TestHistogramResetAndClone(t *testing.T) {
	t.Parallel()
	var h Histogram
	for i := range 1000 {
		h.Add(float64(i))
	}
	c := h.Clone()
	h.Reset()
	if h.Count() != 0 || h.Quantile(0.5) != 0 {
		t.Errorf("after Reset: count %d, median %v", h.Count(), h.Quantile(0.5))
	}
	if c.Count() != 1000 || math.Abs(c.Quantile(0.5)-500) > 500*HistogramRelativeError {
		t.Errorf("clone changed by Reset: count %d, median %v", c.Count(), c.Quantile(0.5))
	}
	h.Add(3)
	if h.Count() != 1 || h.Quantile(0.5) != 3 {
		t.Errorf("reuse after Reset: count %d, median %v", h.Count(), h.Quantile(0.5))
	}
}

func TestHistogramJSONRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 3))
	var h Histogram
	for range 50_000 {
		h.Add(math.Exp(2+r.NormFloat64()) - 3)
	}
	h.Add(0)
	b, err := json.Marshal(&h)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var back Histogram
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if back.Count() != h.Count() || back.Sum() != h.Sum() || back.Min() != h.Min() || back.Max() != h.Max() {
		t.Errorf("round trip changed count/sum/min/max")
	}
	for _, q := range []float64{0.01, 0.5, 0.99} {
		if back.Quantile(q) != h.Quantile(q) {
			t.Errorf("Quantile(%v): %v after round trip, %v before", q, back.Quantile(q), h.Quantile(q))
		}
	}
	again, _ := json.Marshal(&back)
	if !bytes.Equal(b, again) {
		t.Errorf("second encoding differs from the first")
	}
}

func TestHistogramUnmarshalErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"wrong shape", `"str"`, "decode histogram"},
		{"scheme", `{"scheme":"hdr","count":0}`, "scheme"},
		{"count mismatch", `{"scheme":"log2-7","count":5,"min":1,"max":1,"pos":[[130944,3]]}`, "count says 5"},
		{"bad key", `{"scheme":"log2-7","count":1,"min":1,"max":1,"pos":[[999999999,1]]}`, "invalid bucket key"},
		{"min above max", `{"scheme":"log2-7","count":1,"min":2,"max":1,"pos":[[130944,1]]}`, "invalid min"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h Histogram
			err := json.Unmarshal([]byte(tt.in), &h)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Unmarshal(%s) error = %v, want it to mention %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestHistogramBuckets(t *testing.T) {
	t.Parallel()
	var h Histogram
	for _, v := range []float64{-3, 0, 0, 1, 1.5, 100, 100.2} {
		h.Add(v)
	}
	var total uint64
	prev := -1e300
	for b := range h.Buckets() {
		if b.Low > b.High || b.Mid() < prev {
			t.Errorf("bucket %+v out of order (previous mid %g)", b, prev)
		}
		prev = b.Mid()
		total += b.Count
	}
	if total != h.Count() {
		t.Errorf("buckets hold %d values, want %d", total, h.Count())
	}
	var first Bucket
	for b := range h.Buckets() {
		first = b
		break
	}
	if first.Low > -3 || first.High < -3 || first.Count != 1 {
		t.Errorf("first bucket %+v, want the one of -3", first)
	}
}
