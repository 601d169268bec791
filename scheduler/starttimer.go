package scheduler

import (
	"context"
	"time"

	"github.com/jsload/jsload/scheduler/hrtimer"
)

// startTimer waits until the planned start of an iteration. Go's timers wake
// an idle process through the poller's millisecond timeouts, so they fire
// 0.5 ms late on average and up to about 1.5 ms: too coarse for an open model
// starting thousands of iterations a second on schedule. Where the system has
// high-resolution timers the scheduler uses one (package hrtimer); tests on a
// fake clock (testing/synctest) use Go's.
type startTimer interface {
	// sleepUntil waits until when (at once if it has passed) and reports false
	// if ctx ended first.
	sleepUntil(ctx context.Context, when time.Time) bool
	close()
}

// goTimer is a startTimer on Go's timers.
type goTimer struct{ tm *time.Timer }

func (g goTimer) sleepUntil(ctx context.Context, when time.Time) bool {
	return sleepUntil(ctx, g.tm, when)
}

func (g goTimer) close() { g.tm.Stop() }

// newStartTimer returns a high-resolution timer when the test asks for one and
// the system has it, else a timer on Go's.
func (t *Test) newStartTimer() startTimer {
	if t.cfg.PreciseTimers {
		if hr, err := hrtimer.New(); err == nil {
			return preciseTimer{hr, newStoppedTimer()}
		}
	}
	return goTimer{newStoppedTimer()}
}

// preciseTimer is a startTimer on a high-resolution timer, with a Go timer to
// fall back on when the high-resolution one fails.
type preciseTimer struct {
	hr       *hrtimer.Timer
	fallback *time.Timer
}

func (p preciseTimer) sleepUntil(ctx context.Context, when time.Time) bool {
	d := time.Until(when)
	if d <= 0 {
		return ctx.Err() == nil
	}
	if p.hr.Arm(d) != nil || p.hr.Wait(ctx, when) != nil {
		if ctx.Err() != nil {
			return false // the context ended the wait
		}
		return sleepUntil(ctx, p.fallback, when) // the high-resolution timer failed
	}
	return ctx.Err() == nil
}

func (p preciseTimer) close() {
	p.hr.Close()
	p.fallback.Stop()
}

// newStoppedTimer returns a timer to be armed with Reset.
func newStoppedTimer() *time.Timer {
	tm := time.NewTimer(time.Hour)
	tm.Stop()
	return tm
}

// sleepUntil waits until when (at once if it has passed) with tm, and reports
// false if ctx ended first.
func sleepUntil(ctx context.Context, tm *time.Timer, when time.Time) bool {
	d := time.Until(when)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm.Reset(d)
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		tm.Stop()
		return false
	}
}
