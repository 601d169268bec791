package scheduler

import (
	"testing"
	"time"
)

func TestFailStreak(t *testing.T) {
	t.Parallel()
	var s failStreak
	fast, slow := 100*time.Microsecond, 2*time.Millisecond
	var waits []time.Duration
	for range 14 {
		waits = append(waits, s.next(failed, fast))
	}
	want := []time.Duration{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 8 * time.Millisecond}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits after fast failures = %v, want %v", waits, want)
		}
	}
	for _, step := range []struct {
		o    outcome
		d    time.Duration
		want time.Duration
	}{
		{failed, slow, 0},      // a slow failure ends the streak
		{failed, fast, 0},      // which starts again from 0
		{completed, fast, 0},   // as a success ends it
		{interrupted, fast, 0}, // and an interruption
	} {
		if got := s.next(step.o, step.d); got != step.want {
			t.Errorf("next(%v, %v) = %v, want %v", step.o, step.d, got, step.want)
		}
	}
	for n := range 100 {
		if d := backoffDelay(n); d < 0 || d > maxBackoff {
			t.Errorf("backoffDelay(%d) = %v, out of [0, %v]", n, d, maxBackoff)
		}
	}
	if backoffDelay(40) != maxBackoff {
		t.Errorf("a long streak waits %v, want %v", backoffDelay(40), maxBackoff)
	}
}
