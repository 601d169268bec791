package scheduler

import (
	"context"
	"testing"
	"time"
)

// The start timer of a real run (not on synctest's fake clock): it never wakes
// before the planned time, wakes soon after it, serves one wait after another,
// and ends its wait when the context does.
func TestStartTimer(t *testing.T) {
	t.Parallel()
	test := &Test{cfg: Config{PreciseTimers: true}}
	tm := test.newStartTimer()
	defer tm.close()
	ctx := context.Background()
	for i := range 20 {
		when := time.Now().Add(time.Duration(1+i%3) * time.Millisecond)
		if !tm.sleepUntil(ctx, when) {
			t.Fatal("sleepUntil reported a cancelled context")
		}
		if late := time.Since(when); late < 0 || late > time.Second {
			t.Fatalf("wait %d woke %v after the planned time", i, late)
		}
	}
	if !tm.sleepUntil(ctx, time.Now().Add(-time.Second)) {
		t.Error("a time in the past: want true at once")
	}

	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(20*time.Millisecond, cancel)
	begin := time.Now()
	if tm.sleepUntil(cctx, time.Now().Add(time.Minute)) {
		t.Error("cancelled: want false")
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Errorf("the cancelled wait took %v", took)
	}
	if tm.sleepUntil(cctx, time.Now().Add(time.Millisecond)) {
		t.Error("after the cancellation: want false")
	}
}
