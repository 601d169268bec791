package hrtimer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jsload/jsload/scheduler/hrtimer"
)

// A timer fires after its delay, never before, and can be armed again; arming
// it again while a goroutine waits moves the expiry; Wait ends with the context.
func TestTimer(t *testing.T) {
	t.Parallel()
	tm, err := hrtimer.New()
	if errors.Is(err, hrtimer.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer tm.Close()
	ctx := context.Background()
	for i := range 20 {
		d := time.Duration(1+i%3) * time.Millisecond
		begin := time.Now()
		if err := tm.Arm(d); err != nil {
			t.Fatal(err)
		}
		if err := tm.Wait(ctx, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(begin); took < d || took > d+time.Second {
			t.Fatalf("armed for %v, fired after %v", d, took)
		}
	}

	// Armed for a minute, then re-armed from another goroutine.
	if err := tm.Arm(time.Minute); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(10*time.Millisecond, func() { _ = tm.Arm(time.Millisecond) })
	begin := time.Now()
	if err := tm.Wait(ctx, time.Time{}); err != nil || time.Since(begin) > 5*time.Second {
		t.Fatalf("re-armed: %v after %v", err, time.Since(begin))
	}

	// The deadline ends the wait when it comes before the timer.
	_ = tm.Arm(time.Minute)
	begin = time.Now()
	if err := tm.Wait(ctx, time.Now().Add(5*time.Millisecond)); err != nil || time.Since(begin) > 5*time.Second {
		t.Fatalf("deadline: %v after %v", err, time.Since(begin))
	}

	cctx, cancel := context.WithCancel(ctx)
	_ = tm.Arm(time.Minute)
	time.AfterFunc(10*time.Millisecond, cancel)
	begin = time.Now()
	if err := tm.Wait(cctx, time.Time{}); !errors.Is(err, context.Canceled) || time.Since(begin) > 5*time.Second {
		t.Fatalf("cancelled: %v after %v", err, time.Since(begin))
	}
}
