package scheduler

import (
	"math/bits"
	"time"
)

// Stage is one step of a ramp: the value (VUs, or iterations per time unit) moves
// linearly from where the previous stage ended to Target over Duration. A stage of
// zero duration jumps to Target at once.
type Stage struct {
	Duration time.Duration
	Target   int64
}

// stagesDuration is the total length of stages.
func stagesDuration(stages []Stage) time.Duration {
	var d time.Duration
	for _, s := range stages {
		d += s.Duration
	}
	return d
}

// mulDiv returns floor(a·b/c) for a, b ≥ 0 and c > 0, exactly (128-bit product),
// saturating at the largest int64.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 1<<63 - 1
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(q)
}

// mulDivCeil returns ceil(a·b/c) for a, b ≥ 0 and c > 0.
func mulDivCeil(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 1<<63 - 1
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	if r != 0 {
		q++
	}
	if q > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(q)
}

// rampCursor walks the times at which a ramp's VU count changes, in order, without
// materialising them: each call to next gives the next change. It is a pure
// function of the stages (no clock), so the controller and the tests share it.
type rampCursor struct {
	stages []Stage
	si     int           // current stage
	from   int64         // value at the start of the current stage
	at     time.Duration // start of the current stage
	i      int64         // unit steps of the current stage already given
}

func newRampCursor(start int64, stages []Stage) *rampCursor {
	return &rampCursor{stages: stages, from: start}
}

// next returns the elapsed time of the next change and the VU count from then on;
// ok is false after the last one. Changes of a zero-length stage come as one jump.
func (c *rampCursor) next() (at time.Duration, vus int64, ok bool) {
	for c.si < len(c.stages) {
		s := c.stages[c.si]
		n := s.Target - c.from
		if n < 0 {
			n = -n
		}
		if s.Duration == 0 && n > 0 && c.i == 0 {
			c.i = n
			return c.at, s.Target, true
		}
		if c.i < n {
			c.i++
			at = c.at + time.Duration(mulDivCeil(c.i, int64(s.Duration), n))
			if s.Target > c.from {
				return at, c.from + c.i, true
			}
			return at, c.from - c.i, true
		}
		c.at += s.Duration
		c.from = s.Target
		c.si++
		c.i = 0
	}
	return 0, 0, false
}

// maxTarget is the largest VU count a ramp reaches.
func maxTarget(start int64, stages []Stage) int64 {
	m := start
	for _, s := range stages {
		m = max(m, s.Target)
	}
	return m
}
