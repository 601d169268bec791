package metrics

import "iter"

// Bucket is one bucket of a Histogram: Count values in [Low, High) (for
// negative values, in (-High, -Low], reported with Low and High negated so
// that Low <= High still holds; the zero bucket has Low == High == 0).
type Bucket struct {
	Low, High float64
	Count     uint64
}

// Mid returns the value the histogram reports for the bucket's samples.
func (b Bucket) Mid() float64 { return b.Low/2 + b.High/2 }

// Buckets iterates over the non-empty buckets of h in ascending order of
// value: the negative buckets, the zero bucket, then the positive ones. The
// outputs convert them into other histogram formats (Prometheus).
func (h *Histogram) Buckets() iter.Seq[Bucket] {
	return func(yield func(Bucket) bool) {
		ok := true
		h.neg.each(true, func(k int32, n uint64) bool {
			ok = yield(Bucket{Low: -bucketLow(k + 1), High: -bucketLow(k), Count: n})
			return ok
		})
		if !ok || (h.zero > 0 && !yield(Bucket{Count: h.zero})) {
			return
		}
		h.pos.each(false, func(k int32, n uint64) bool {
			return yield(Bucket{Low: bucketLow(k), High: bucketLow(k + 1), Count: n})
		})
	}
}
