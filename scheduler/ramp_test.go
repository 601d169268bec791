package scheduler

import (
	"fmt"
	"testing"
	"time"
)

const (
	ms = time.Millisecond
	s  = time.Second
)

// vusAt is the number of active VUs at elapsed time t of a ramp that starts with
// start VUs and follows stages (k6's ramping-vus): within a stage the count changes
// by one VU each time the straight line from the stage's start value to its target
// crosses a whole number, so ramping 0 → 10 over 10s gives 1 VU at 1s, and 10 → 0
// over 10s gives 9 VUs at 1s. Before 0 it is start; after the last stage, the last
// target. It is the definition the controller's rampCursor is checked against.
func vusAt(start int64, stages []Stage, t time.Duration) int64 {
	from := start
	var at time.Duration
	for _, s := range stages {
		if t < at+s.Duration {
			return from + stepsDone(s.Target-from, t-at, s.Duration)
		}
		at += s.Duration
		from = s.Target
	}
	return from
}

// stepsDone is how many of the |delta| unit steps spread over d are done after x
// (0 ≤ x < d), signed like delta: floor(|delta|·x/d).
func stepsDone(delta int64, x, d time.Duration) int64 {
	if x < 0 {
		return 0
	}
	n := delta
	if n < 0 {
		n = -n
	}
	done := mulDiv(n, int64(x), int64(d))
	if delta < 0 {
		return -done
	}
	return done
}

func TestVUsAt(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		start  int64
		stages []Stage
		at     []time.Duration
		want   []int64
	}{
		{"ramp up", 0, []Stage{{10 * s, 10}},
			[]time.Duration{-s, 0, 999 * ms, s, 9999 * ms, 10 * s, time.Hour}, []int64{0, 0, 0, 1, 9, 10, 10}},
		{"ramp down", 10, []Stage{{10 * s, 0}},
			[]time.Duration{0, 1, 999 * ms, s, 9999 * ms, 10 * s}, []int64{10, 10, 10, 9, 1, 0}},
		{"jump then hold", 5, []Stage{{0, 10}, {5 * s, 10}},
			[]time.Duration{0, 4 * s, 5 * s}, []int64{10, 10, 10}},
		{"up, hold, down", 0, []Stage{{3 * s, 2}, {s, 2}, {2 * s, 0}},
			[]time.Duration{1499 * ms, 1500 * ms, 3 * s, 4 * s, 4999 * ms, 5 * s, 6 * s}, []int64{0, 1, 2, 2, 2, 1, 0}},
		{"uneven steps", 1, []Stage{{s, 4}},
			[]time.Duration{333 * ms, 334 * ms, 666 * ms, 667 * ms, s}, []int64{1, 2, 2, 3, 4}},
	} {
		for i, at := range tt.at {
			if got := vusAt(tt.start, tt.stages, at); got != tt.want[i] {
				t.Errorf("%s: vusAt(%v) = %d, want %d", tt.name, at, got, tt.want[i])
			}
		}
	}
}

func TestRampCursor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		start  int64
		stages []Stage
		want   string
	}{
		{"ramp up", 0, []Stage{{4 * s, 4}}, "1s:1 2s:2 3s:3 4s:4"},
		{"ramp down after a hold", 3, []Stage{{s, 3}, {3 * s, 0}}, "2s:2 3s:1 4s:0"},
		{"jumps are one step", 0, []Stage{{0, 5}, {s, 5}, {0, 2}, {s, 3}}, "0s:5 1s:2 2s:3"},
		{"uneven", 0, []Stage{{s, 3}}, "333.333334ms:1 666.666667ms:2 1s:3"},
		{"nothing changes", 2, []Stage{{s, 2}}, ""},
	} {
		c := newRampCursor(tt.start, tt.stages)
		got := ""
		for {
			at, vus, ok := c.next()
			if !ok {
				break
			}
			if got != "" {
				got += " "
			}
			got += fmt.Sprintf("%v:%d", at, vus)
			// The cursor and vusAt agree: the count changes exactly at the step.
			if v := vusAt(tt.start, tt.stages, at); v != vus {
				t.Errorf("%s: vusAt(%v) = %d, the cursor says %d", tt.name, at, v, vus)
			}
			if at > 0 && vusAt(tt.start, tt.stages, at-1) == vus {
				t.Errorf("%s: vusAt(%v) is already %d before the step", tt.name, at-1, vus)
			}
		}
		if got != tt.want {
			t.Errorf("%s: steps %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMulDiv(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ a, b, c, floor, ceil int64 }{
		{7, 3, 2, 10, 11},
		{1 << 40, 1 << 40, 1 << 41, 1 << 39, 1 << 39},
		{1 << 62, 8, 1, 1<<63 - 1, 1<<63 - 1}, // saturates
		{0, 5, 3, 0, 0},
	} {
		if got := mulDiv(tt.a, tt.b, tt.c); got != tt.floor {
			t.Errorf("mulDiv(%d, %d, %d) = %d, want %d", tt.a, tt.b, tt.c, got, tt.floor)
		}
		if got := mulDivCeil(tt.a, tt.b, tt.c); got != tt.ceil {
			t.Errorf("mulDivCeil(%d, %d, %d) = %d, want %d", tt.a, tt.b, tt.c, got, tt.ceil)
		}
	}
}
