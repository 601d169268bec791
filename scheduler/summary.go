package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// FuncHandleSummary is the export Run calls with the end-of-test summary, as
// k6 does.
const FuncHandleSummary = "handleSummary"

// summaryTimeout bounds handleSummary (k6 gives it 2 minutes too).
const summaryTimeout = 2 * time.Minute

// errSummaryTimeout is the cause of a handleSummary that ran too long.
var errSummaryTimeout = errors.New("handleSummary() ran for more than 2 minutes")

// summaryHook is what Run needs to call handleSummary.
type summaryHook struct {
	data func(*Result) ([]byte, error) // see SetSummaryData

	mu     sync.Mutex
	cancel context.CancelCauseFunc // interrupts the running handleSummary, or nil
}

// SetSummaryData sets, before Run, how the argument of the script's
// handleSummary export is made from the run's result (as JSON). When the
// script exports handleSummary, Run calls it after teardown, even when the run
// was aborted, on the goroutine that called Run, and puts what it returned
// (JSON) in Result.HandleSummary, or why it failed in Result.HandleSummaryErr.
// An Abort from then on (a second Ctrl+C) interrupts it; it also stops after
// 2 minutes.
func (t *Test) SetSummaryData(fn func(*Result) ([]byte, error)) { t.summary.data = fn }

// HasSummaryHandler reports whether the script exports a handleSummary
// function.
func (t *Test) HasSummaryHandler() bool { return t.initVU.Func(FuncHandleSummary) != nil }

// handleSummary calls the script's handleSummary with the summary of r.
func (t *Test) handleSummary(r *Result) {
	if t.summary.data == nil || !t.HasSummaryHandler() {
		return
	}
	in, err := t.summary.data(r)
	if err != nil {
		r.HandleSummaryErr = fmt.Errorf("handleSummary(): build its data: %w", err)
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	ctx, stop := context.WithTimeoutCause(ctx, summaryTimeout, errSummaryTimeout)
	defer stop()
	t.summary.mu.Lock()
	t.summary.cancel = cancel
	t.summary.mu.Unlock()
	defer func() {
		t.summary.mu.Lock()
		t.summary.cancel = nil
		t.summary.mu.Unlock()
		cancel(nil)
	}()
	r.HandleSummary, err = t.initVU.CallJSON(ctx, FuncHandleSummary, in)
	if err != nil {
		r.HandleSummaryErr = fmt.Errorf("handleSummary(): %w", err)
	}
}

// interruptSummary interrupts a running handleSummary with cause.
func (t *Test) interruptSummary(cause error) {
	t.summary.mu.Lock()
	defer t.summary.mu.Unlock()
	if t.summary.cancel != nil {
		t.summary.cancel(cause)
	}
}
