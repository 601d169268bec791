package metrics

import (
	"math"
	"unsafe"
)

// Histogram layout. A positive float64's bit pattern grows with its value, so
// its top bits (exponent and the first subBucketBits bits of the mantissa) form
// a log-linear bucket key: every power of two is cut into 2^subBucketBits equal
// buckets. Keys are stored sparsely in chunks of chunkSize counters allocated on
// first use, so memory depends on the range of values seen, never on how many.
const (
	subBucketBits = 7
	keyShift      = 52 - subBucketBits
	chunkBits     = 5
	chunkSize     = 1 << chunkBits

	// minTrackable is the smallest magnitude given its own bucket; smaller
	// values (|v| < 1e-9, i.e. below a picosecond for ms values) count as zero.
	minTrackable = 1e-9

	// histogramScheme names the layout in serialised histograms.
	histogramScheme = "log2-7"
)

// HistogramRelativeError bounds the relative error of Histogram.Quantile: a
// bucket [lo, hi) has hi-lo <= lo/128 and a sample in it is reported as the
// midpoint, within 1/256 (0.39%) of its true value.
const HistogramRelativeError = 1.0 / (1 << (subBucketBits + 1))

// Histogram is a bounded, mergeable histogram of float64 values with exact
// count, sum, min and max and percentiles within HistogramRelativeError. An
// empty one is about 100 bytes; each 32 adjacent buckets in use cost 256.
// NaN and infinite values are ignored.
//
// The zero value is an empty histogram ready to use. A Histogram is not safe
// for concurrent use; Sinks guard theirs.
type Histogram struct {
	count, zero   uint64
	sum, min, max float64
	pos, neg      store
}

// chunk holds the counts of chunkSize adjacent buckets: 256 bytes, of which
// a sample touches one cache line. (A count of the chunk's samples, to skip
// empty chunks when iterating, cost a second line per sample, and each VU's
// histograms are out of the cache when its next sample comes.)
type chunk struct {
	c [chunkSize]uint64
}

// store holds counts for bucket keys base<<chunkBits and up, chunk by chunk;
// chunks nobody used are nil.
type store struct {
	base   int32
	chunks []*chunk
}

func bucketKey(v float64) int32 { return int32(math.Float64bits(v) >> keyShift) }
func bucketLow(k int32) float64 { return math.Float64frombits(uint64(k) << keyShift) }
func bucketMid(k int32) float64 { return bucketLow(k)/2 + bucketLow(k+1)/2 }
func validKey(k int64) bool     { return k >= 0 && k < int64(bucketKey(math.Inf(1))) }
func finite(v float64) bool     { return !math.IsNaN(v) && !math.IsInf(v, 0) }
func (h *Histogram) storeFor(v float64) (*store, float64) {
	if v < 0 {
		return &h.neg, -v
	}
	return &h.pos, v
}

// Add records one value.
func (h *Histogram) Add(v float64) {
	if !finite(v) {
		return
	}
	if h.count == 0 || v < h.min {
		h.min = v
	}
	if h.count == 0 || v > h.max {
		h.max = v
	}
	h.count++
	h.sum += v
	if math.Abs(v) < minTrackable {
		h.zero++
		return
	}
	s, mag := h.storeFor(v)
	s.add(bucketKey(mag), 1)
}

func (s *store) add(k int32, n uint64) {
	ci := k >> chunkBits
	switch {
	case len(s.chunks) == 0:
		s.base = ci
		s.chunks = append(s.chunks, nil)
	case ci < s.base:
		grow := int(s.base - ci)
		nc := make([]*chunk, grow+len(s.chunks))
		copy(nc[grow:], s.chunks)
		s.chunks, s.base = nc, ci
	case int(ci-s.base) >= len(s.chunks):
		s.chunks = append(s.chunks, make([]*chunk, int(ci-s.base)-len(s.chunks)+1)...)
	}
	c := s.chunks[ci-s.base]
	if c == nil {
		c = new(chunk)
		s.chunks[ci-s.base] = c
	}
	c.c[k&(chunkSize-1)] += n
}

// each calls fn for every non-empty bucket, in ascending key order or, with
// desc, descending; fn returns false to stop.
func (s *store) each(desc bool, fn func(k int32, n uint64) bool) {
	for i := range s.chunks {
		ci := i
		if desc {
			ci = len(s.chunks) - 1 - i
		}
		c := s.chunks[ci]
		if c == nil {
			continue
		}
		for j := range chunkSize {
			idx := j
			if desc {
				idx = chunkSize - 1 - j
			}
			if n := c.c[idx]; n != 0 {
				if !fn((s.base+int32(ci))<<chunkBits|int32(idx), n) {
					return
				}
			}
		}
	}
}

func (s *store) merge(o *store) {
	o.each(false, func(k int32, n uint64) bool { s.add(k, n); return true })
}

func (s *store) reset() {
	for _, c := range s.chunks {
		if c != nil {
			*c = chunk{}
		}
	}
}

func (s *store) clone() store {
	c := store{base: s.base, chunks: make([]*chunk, len(s.chunks))}
	for i, ch := range s.chunks {
		if ch != nil {
			cp := *ch
			c.chunks[i] = &cp
		}
	}
	return c
}

// Count returns the number of values recorded.
func (h *Histogram) Count() uint64 { return h.count }

// Sum returns the exact sum of the values.
func (h *Histogram) Sum() float64 { return h.sum }

// Min returns the exact smallest value (0 when empty).
func (h *Histogram) Min() float64 { return h.min }

// Max returns the exact largest value (0 when empty).
func (h *Histogram) Max() float64 { return h.max }

// Quantile returns the value at quantile q in [0, 1] (0.95 for p(95)) with
// the definition k6 uses: linear interpolation between the samples of ranks
// floor(q*(count-1)) and the next one. Each of the two is known within
// HistogramRelativeError (exactly for the first and last ranks, which are Min
// and Max), so the result is too when they share a sign. An empty histogram
// returns 0.
func (h *Histogram) Quantile(q float64) float64 {
	switch {
	case h.count == 0:
		return 0
	case !(q > 0):
		return h.min
	case q >= 1:
		return h.max
	}
	pos := q * float64(h.count-1)
	lo := uint64(pos)
	frac := pos - float64(lo)
	vlo, vhi := h.atRank(lo), h.max
	if lo+1 < h.count && frac > 0 {
		vhi = h.atRank(lo + 1)
	}
	return vlo + frac*(vhi-vlo)
}

// atRank returns the value of the sample of 0-based rank r: Min and Max for
// the first and last, otherwise the midpoint of the bucket holding it,
// clamped to [Min, Max].
func (h *Histogram) atRank(r uint64) float64 {
	switch r {
	case 0:
		return h.min
	case h.count - 1:
		return h.max
	}
	var seen uint64
	v, found := h.max, false
	visit := func(sign float64) func(int32, uint64) bool {
		return func(k int32, n uint64) bool {
			seen += n
			if seen > r {
				v, found = sign*bucketMid(k), true
				return false
			}
			return true
		}
	}
	h.neg.each(true, visit(-1))
	if !found {
		if seen += h.zero; seen > r {
			v, found = 0, true
		}
	}
	if !found {
		h.pos.each(false, visit(1))
	}
	return min(max(v, h.min), h.max)
}

// Merge adds every value recorded in o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o == nil || o.count == 0 {
		return
	}
	if h.count == 0 || o.min < h.min {
		h.min = o.min
	}
	if h.count == 0 || o.max > h.max {
		h.max = o.max
	}
	h.count += o.count
	h.zero += o.zero
	h.sum += o.sum
	h.pos.merge(&o.pos)
	h.neg.merge(&o.neg)
}

// Reset empties h but keeps its allocated buckets for reuse.
func (h *Histogram) Reset() {
	h.count, h.zero, h.sum, h.min, h.max = 0, 0, 0, 0, 0
	h.pos.reset()
	h.neg.reset()
}

// Clone returns a deep copy of h.
func (h *Histogram) Clone() *Histogram {
	c := *h
	c.pos = h.pos.clone()
	c.neg = h.neg.clone()
	return &c
}

// footprint estimates the bytes h holds, for tests of the memory bound.
func (h *Histogram) footprint() int {
	n := int(unsafe.Sizeof(*h))
	for _, s := range []*store{&h.pos, &h.neg} {
		n += 8 * cap(s.chunks)
		for _, c := range s.chunks {
			if c != nil {
				n += int(unsafe.Sizeof(*c))
			}
		}
	}
	return n
}
