package metrics

import (
	"encoding/json"
	"fmt"
)

// histogramJSON is the serialised form of a Histogram:
//
//	{"scheme":"log2-7","count":12,"sum":340.5,"min":1.2,"max":80.1,
//	 "zero":0,"pos":[[130880,3],[130881,9]],"neg":[]}
//
// pos and neg list [bucket key, count] pairs in ascending key order for the
// positive values and for the magnitudes of negative values. A bucket key is
// the top 19 bits of the float64 (exponent and 7 mantissa bits); scheme names
// that layout so that a later layout can refuse to merge an older one.
type histogramJSON struct {
	Scheme string      `json:"scheme"`
	Count  uint64      `json:"count"`
	Sum    float64     `json:"sum"`
	Min    float64     `json:"min"`
	Max    float64     `json:"max"`
	Zero   uint64      `json:"zero,omitempty"`
	Pos    [][2]uint64 `json:"pos,omitempty"`
	Neg    [][2]uint64 `json:"neg,omitempty"`
}

func (s *store) pairs() [][2]uint64 {
	var out [][2]uint64
	s.each(false, func(k int32, n uint64) bool {
		out = append(out, [2]uint64{uint64(k), n})
		return true
	})
	return out
}

// MarshalJSON serialises h losslessly (see histogramJSON).
func (h *Histogram) MarshalJSON() ([]byte, error) {
	return json.Marshal(histogramJSON{
		Scheme: histogramScheme,
		Count:  h.count, Sum: h.sum, Min: h.min, Max: h.max, Zero: h.zero,
		Pos: h.pos.pairs(), Neg: h.neg.pairs(),
	})
}

// UnmarshalJSON restores a histogram written by MarshalJSON. It checks the
// scheme, the keys and that the bucket counts add up to count.
func (h *Histogram) UnmarshalJSON(b []byte) error {
	var j histogramJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("decode histogram: %w", err)
	}
	if j.Scheme != histogramScheme {
		return fmt.Errorf("decode histogram: scheme %q, want %q", j.Scheme, histogramScheme)
	}
	if j.Count > 0 && (!finite(j.Min) || !finite(j.Max) || j.Min > j.Max) {
		return fmt.Errorf("decode histogram: invalid min %v / max %v", j.Min, j.Max)
	}
	var n Histogram
	total := j.Zero
	for _, side := range []struct {
		pairs [][2]uint64
		s     *store
	}{{j.Pos, &n.pos}, {j.Neg, &n.neg}} {
		for _, p := range side.pairs {
			if !validKey(int64(p[0])) || p[0] < uint64(bucketKey(minTrackable)) {
				return fmt.Errorf("decode histogram: invalid bucket key %d", p[0])
			}
			side.s.add(int32(p[0]), p[1])
			total += p[1]
		}
	}
	if total != j.Count {
		return fmt.Errorf("decode histogram: buckets hold %d values, count says %d", total, j.Count)
	}
	n.count, n.zero, n.sum, n.min, n.max = j.Count, j.Zero, j.Sum, j.Min, j.Max
	*h = n
	return nil
}
