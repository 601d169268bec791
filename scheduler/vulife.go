package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/jsruntime"
)

func noop() {}

// runVU is the life of one VU once the test has started: in a closed-model group
// it waits for the group's start time and runs the group's vuInit before its first
// iteration (an arrival-rate VU has run it already: see startVU), then iterations
// while the executor hands them out (no sooner than pacing after the previous
// start, later when its iterations keep failing at once: see backoff.go), and
// vuEnd at the end if it ran vuInit here. In a group with
// newBrowserEachIteration each iteration ends the VU's browser: the next one
// starts with a new one (jsruntime.VU.EndBrowser).
//
// The VU counts in gr.running from its start to its end, except while a driven
// execution's next waits for the driver to hand it work (a ramped-down VU, an idle
// arrival-rate VU): the other executions' next never blocks, so their VUs spare
// the two shared atomic additions per iteration.
func (t *Test) runVU(gr *groupRun, idx int, vu *jsruntime.VU) {
	tm := newStoppedTimer() // the VU's waits, one after another
	if !gr.eager && !sleepUntil(gr.stopCtx, tm, gr.begin) {
		return
	}
	gr.running.Add(1)
	defer gr.running.Add(-1)
	inited := gr.eager
	defer func() {
		if inited && !gr.eager {
			t.vuEnd(gr, vu)
		}
	}()
	var done int64
	var lastStart time.Time
	var streak failStreak
	x := gr.exec
	driven := x.drive != nil
	for {
		if gr.Pacing > 0 && done > 0 {
			if x.exhausted != nil && x.exhausted(done) || !sleepUntil(gr.stopCtx, tm, lastStart.Add(gr.Pacing)) {
				return
			}
		}
		if driven {
			gr.running.Add(-1) // waiting for work is not running
		}
		w, ok := x.next(gr.stopCtx, idx, done)
		if driven {
			gr.running.Add(1)
		}
		if !ok {
			return
		}
		if !inited {
			inited = true
			if !t.vuInit(gr.hardCtx, gr, vu) {
				t.initFailed(gr, vu) // the iteration it took fails with it
				return
			}
		}
		if !t.startIteration(vu, done) {
			return
		}
		var o outcome
		var took time.Duration
		lastStart, o, took = t.iterate(gr, idx, vu, w, done)
		if gr.NewBrowserEachIteration {
			vu.EndBrowser(gr.BrowserReset) // the next iteration starts with a new browser
		}
		done++
		if gr.hardCtx.Err() != nil {
			return
		}
		if wait := streak.next(o, took); wait > 0 && !gr.eager {
			t.warn(backoffWarning)
			if !sleepUntil(gr.stopCtx, tm, time.Now().Add(wait)) {
				return
			}
		}
	}
}

// iterate runs iteration n of VU number idx of gr, handed out as w, records its
// outcome and returns when it started, the outcome and how long it took.
func (t *Test) iterate(gr *groupRun, idx int, vu *jsruntime.VU, w work, n int64) (time.Time, outcome, time.Duration) {
	ctx, end := gr.hardCtx, noop
	if gr.exec.iterationContext != nil {
		ctx, end = gr.exec.iterationContext(idx, gr.hardCtx)
	}
	begin := time.Now()
	if t.startHook != nil && !w.planned.IsZero() {
		t.startHook(w.planned, begin)
	}
	err := vu.Iterate(ctx, gr.Exec, n, w.inGroup)
	took := time.Since(begin)
	o := t.classify(ctx, vu, err)
	end()
	t.record(vu, took, o)
	return begin, o, took
}

// vuInit runs the group's vuInit export under ctx; false when it failed (the VU
// then runs no iterations).
func (t *Test) vuInit(ctx context.Context, gr *groupRun, vu *jsruntime.VU) bool {
	err := vu.Init(ctx, gr.VUInit)
	if err != nil && ctx.Err() == nil {
		t.Errors.Add(fmt.Sprintf("VU %d, %s() (the VU runs no iterations)", vu.Info.ID, gr.VUInit), err)
	}
	return err == nil
}

// initFailed records the iteration a VU took before its vuInit failed: failed
// (the error is logged), or interrupted when the group was stopped meanwhile. An
// executor that shares iterations among VUs would otherwise lose it: asked for 6,
// 5 completed and 0 failed.
func (t *Test) initFailed(gr *groupRun, vu *jsruntime.VU) {
	o := failed
	if gr.hardCtx.Err() != nil {
		o = interrupted
	}
	t.record(vu, 0, o)
}

// vuEnd runs the group's vuEnd export, even after a stop: it gets the group's
// gracefulStop (at least a second) unless the test is aborted.
func (t *Test) vuEnd(gr *groupRun, vu *jsruntime.VU) {
	vu.StopBackground() // background scripts end (by their stop mode) before vuEnd
	if t.abortCtx.Err() != nil {
		return // aborted: vuEnd would be interrupted at once
	}
	ctx, cancel := context.WithTimeout(t.abortCtx, max(gr.GracefulStop, time.Second))
	defer cancel()
	if err := vu.Run(ctx, gr.VUEnd); err != nil && ctx.Err() == nil {
		t.Errors.Add(fmt.Sprintf("VU %d, %s()", vu.Info.ID, gr.VUEnd), err)
	}
}

// startIteration updates the VU's dictionary for iteration it: the iteration key and
// the rows of its per-iteration data bindings. It reports false when the VU must
// stop because a data table ran out of rows.
func (t *Test) startIteration(vu *jsruntime.VU, it int64) bool {
	vu.Dict.SetInt(dict.IterationKey, it)
	if vu.Feed == nil {
		return true
	}
	if err := vu.Feed.Iteration(vu.Dict, it); err != nil {
		var ex *dict.ExhaustedError
		if errors.As(err, &ex) { // the only error Iteration returns
			t.exhausted(ex)
		}
		return false
	}
	return true
}

// record adds one iteration's outcome to the VU's metrics, under the VU's tags
// (which hold its group's).
func (t *Test) record(vu *jsruntime.VU, d time.Duration, o outcome) {
	b := t.Metrics.Builtins()
	switch o {
	case completed:
		vu.Sink().AddGroup(t.iterSamples, vu.Tags(), 1, float64(d)/float64(time.Millisecond))
	case failed:
		vu.Sink().Add(b.IterationsFailed, vu.Tags(), 1)
	default:
		t.stats.interrupted.Add(1)
	}
}

// outcome of one iteration.
type outcome int

const (
	completed outcome = iota
	failed
	interrupted
)

// classify sorts an iteration's error: nil completed; any error once the
// iteration's context is done (graceful stop expired, ramp-down, abort) is an
// interruption; otherwise the script failed (logged once per distinct message).
func (t *Test) classify(ctx context.Context, vu *jsruntime.VU, err error) outcome {
	switch {
	case err == nil:
		return completed
	case ctx.Err() != nil:
		return interrupted
	}
	t.Errors.Add(fmt.Sprintf("VU %d, iteration %d", vu.Info.ID, vu.Info.Iteration()), err)
	return failed
}
