package cli

import (
	"errors"
	"fmt"

	"github.com/jsload/jsload/memguard"
	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/scheduler"
)

// exitOfRun decides the exit code of a run that happened, from the most to the
// least serious, and says why on stderr: the memory guard ended it (111),
// thresholds failed (99), it was interrupted (105) or aborted (108), an output lost
// metrics (112), every iteration failed (110, unless allowFailed).
func exitOfRun(io IO, res *scheduler.Result, allowFailed, lost bool) int {
	var mem *memguard.ExceededError
	switch {
	case errors.As(res.Aborted, &mem):
		fmt.Fprintf(io.Stderr, "jsload: %s\n", mem)
		return ExitMemoryLimit
	case res.ThresholdsFailed():
		if res.ThresholdAbort != nil {
			fmt.Fprintf(io.Stderr, "jsload: %s\n", res.ThresholdAbort)
		} else {
			fmt.Fprintln(io.Stderr, "jsload: some thresholds failed")
		}
		return ExitThresholds
	case res.UserInterrupted, errors.Is(res.Aborted, scheduler.ErrInterrupted):
		return ExitExternalAbort
	case res.Aborted != nil:
		fmt.Fprintf(io.Stderr, "jsload: %s\n", res.Aborted)
		return ExitAborted
	case lost:
		fmt.Fprintln(io.Stderr, "jsload: some results could not be written (see above): the run's metrics are incomplete")
		return ExitOutputLost
	case !allowFailed && allIterationsFailed(res):
		fmt.Fprintf(io.Stderr, "jsload: every iteration failed (all %d): the test measured nothing; see the errors above (--no-fail-on-error exits 0 all the same)\n",
			res.Count("iterations_failed"))
		return ExitAllFailed
	}
	return ExitOK
}

// allIterationsFailed: iterations ran and none completed.
func allIterationsFailed(res *scheduler.Result) bool {
	return res.Count("iterations_failed") > 0 && res.Count("iterations") == 0
}

// outputsLost closes the outputs again, which Run closed already: a second
// Close returns what the first found: the metrics a file output lost (a full
// disk), what a remote output could not deliver. It says so on stderr and
// reports whether a file output lost metrics; a remote backend that is down
// does not fail the run (see metrics/remote).
func outputsLost(io IO, outs metrics.Outputs) bool {
	err := outs.Close()
	if err == nil {
		return false
	}
	fmt.Fprintf(io.Stderr, "jsload: --out: %v\n", err)
	var lost *metrics.LostDataError
	return errors.As(err, &lost)
}

// memoryLimit resolves --max-memory: a size, a percentage of the detected
// limit, off, or (empty) the detected limit itself. off is true for no guard.
func (f *runFlags) memoryLimit() (lim memguard.Limit, off bool, err error) {
	if f.maxMemory == "" {
		lim, err = memguard.Detect()
		return lim, false, err
	}
	return memguard.Parse(f.maxMemory, memguard.Detect)
}

// guardMemory starts the memory guard for a run of test: near the limit it
// says so and aborts the test, whose summary and outputs are then written as
// after any abort. The returned function stops the guard.
func guardMemory(test *scheduler.Test, f *runFlags, io IO) (stop func()) {
	if f.memOff {
		return func() {}
	}
	g := memguard.Start(memguard.Config{Limit: f.memLimit, OnExceed: func(e *memguard.ExceededError) {
		fmt.Fprintf(io.Stderr, "jsload: memory: %s in use, near the limit of %s: stopping the test now to keep its results\n",
			memguard.FormatBytes(e.Used), e.Limit)
		test.Abort(e)
	}})
	return g.Stop
}
