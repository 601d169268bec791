package remote

import (
	"math"
	"strconv"

	"github.com/prometheus/prometheus/prompb"

	"github.com/jsload/jsload/metrics"
)

// nativeSchema is the resolution of the native histograms sent: 2^5 buckets
// per power of two, each about 2.2% wide (jsload's own are at most 0.8%
// wide, so each falls into one native bucket, by its midpoint).
const nativeSchema = 5

// zeroThreshold is Prometheus' default width of the zero bucket.
const zeroThreshold = 2.938735877055719e-39

// nativeIndex is the native bucket of v > 0 at nativeSchema: bucket i holds
// (2^((i-1)/2^schema), 2^(i/2^schema)].
func nativeIndex(v float64) int32 {
	return int32(math.Ceil(math.Log2(v) * (1 << nativeSchema)))
}

// nativeHistogram converts h (values scaled by scale) into a Prometheus native
// histogram at time ts.
func nativeHistogram(h *metrics.Histogram, scale float64, ts int64) prompb.Histogram {
	var pos, neg []indexCount
	var zero uint64
	for b := range h.Buckets() {
		v := b.Mid() * scale
		switch {
		case math.Abs(v) <= zeroThreshold:
			zero += b.Count
		case v > 0:
			pos = addIndex(pos, nativeIndex(v), b.Count)
		default:
			neg = addIndex(neg, nativeIndex(-v), b.Count)
		}
	}
	// The negative buckets came in descending magnitude: reverse them.
	for i, j := 0, len(neg)-1; i < j; i, j = i+1, j-1 {
		neg[i], neg[j] = neg[j], neg[i]
	}
	out := prompb.Histogram{
		Count: &prompb.Histogram_CountInt{CountInt: h.Count()}, Sum: h.Sum() * scale,
		Schema: nativeSchema, ZeroThreshold: zeroThreshold,
		ZeroCount: &prompb.Histogram_ZeroCountInt{ZeroCountInt: zero}, Timestamp: ts,
	}
	out.PositiveSpans, out.PositiveDeltas = spans(pos)
	out.NegativeSpans, out.NegativeDeltas = spans(neg)
	return out
}

type indexCount struct {
	i int32
	n uint64
}

// addIndex adds n to bucket i of a list sorted by index, where i is never
// below the last index.
func addIndex(list []indexCount, i int32, n uint64) []indexCount {
	if k := len(list) - 1; k >= 0 && list[k].i == i {
		list[k].n += n
		return list
	}
	return append(list, indexCount{i, n})
}

// spans encodes sorted buckets as spans of consecutive indexes and the
// delta-encoded counts.
func spans(list []indexCount) ([]prompb.BucketSpan, []int64) {
	var sp []prompb.BucketSpan
	var deltas []int64
	var prevCount int64
	for k, b := range list {
		switch {
		case k == 0:
			sp = append(sp, prompb.BucketSpan{Offset: b.i, Length: 1})
		case b.i == list[k-1].i+1:
			sp[len(sp)-1].Length++
		default:
			sp = append(sp, prompb.BucketSpan{Offset: b.i - list[k-1].i - 1, Length: 1})
		}
		deltas = append(deltas, int64(b.n)-prevCount)
		prevCount = int64(b.n)
	}
	return sp, deltas
}

// Bucket bounds of the classic histograms: seconds for time, else plain.
var (
	timeBuckets  = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}
	plainBuckets = []float64{1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000}
)

// appendClassic appends a's classic histogram buckets (_bucket{le}); its
// _sum and _count are the trend's own series.
func appendClassic(out []prompb.TimeSeries, labels []prompb.Label, name string, a *metrics.Aggregate, scale float64, ts int64) []prompb.TimeSeries {
	bounds := plainBuckets
	if a.Metric.Contains() == metrics.Time {
		bounds = timeBuckets
	}
	counts := make([]uint64, len(bounds))
	for b := range a.Hist.Buckets() {
		v := b.Mid() * scale
		for i, le := range bounds {
			if v <= le {
				counts[i] += b.Count
			}
		}
	}
	bucket := func(le string, n uint64) {
		l := append(append([]prompb.Label(nil), labels...), prompb.Label{Name: "le", Value: le})
		out = append(out, prompb.TimeSeries{Labels: withName(l, name+"_bucket"),
			Samples: []prompb.Sample{{Value: float64(n), Timestamp: ts}}})
	}
	for i, le := range bounds {
		bucket(formatLE(le), counts[i])
	}
	bucket("+Inf", a.Count)
	return out
}

// formatLE renders a bucket bound the way Prometheus' clients do.
func formatLE(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
