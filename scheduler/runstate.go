package scheduler

import (
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings"
)

// runState is a group's and its test's state as a VU reads it (bindings.RunState,
// for k6/execution). The clocks are atomics: a VU of an arrival-rate group reads
// them in vuInit, before the group starts.
type runState struct {
	t     *Test
	gr    *groupRun    // nil for the VU of setup and teardown
	start atomic.Int64 // the group's start, Unix nanoseconds; 0 before
}

// Executor implements bindings.RunState.
func (s *runState) Executor() string {
	if s.gr == nil {
		return ""
	}
	return s.gr.Executor.kind()
}

// GroupStart implements bindings.RunState.
func (s *runState) GroupStart() time.Time { return unixTime(s.start.Load()) }

// TestStart implements bindings.RunState.
func (s *runState) TestStart() time.Time { return unixTime(s.t.started.Load()) }

// Progress implements bindings.RunState: the share of the iterations started for
// the executors that end by count, else of the planned duration elapsed.
func (s *runState) Progress(inGroup int64) float64 {
	if s.gr == nil {
		return 0
	}
	var p float64
	if total := iterationTotal(s.gr.Executor); total > 0 {
		p = float64(inGroup+1) / float64(total)
	} else if d, start := s.gr.Executor.PlannedDuration(), s.start.Load(); d > 0 && start > 0 {
		p = float64(time.Since(unixTime(start))) / float64(d)
	}
	return min(max(p, 0), 1)
}

// Counts implements bindings.RunState.
func (s *runState) Counts() bindings.RunCounts {
	return bindings.RunCounts{
		IterationsCompleted:   s.t.completed.Load(),
		IterationsInterrupted: s.t.stats.interrupted.Load(),
		VUsInitialized:        s.t.stats.initialised.Load(),
	}
}

// Options implements bindings.RunState.
func (s *runState) Options() []byte { return s.t.optionsJSON }

// iterationTotal is the number of iterations of an executor that ends by count,
// 0 for the others: the whole test's for a segment's part, since Progress
// counts the group-wide number of an iteration.
func iterationTotal(e Executor) int64 {
	switch e := e.(type) {
	case *SharedIterations:
		if e.part != nil {
			return iterationTotal(e.part.whole)
		}
		return e.Iterations
	case *PerVUIterations:
		if e.part != nil {
			return iterationTotal(e.part.whole)
		}
		return e.VUs * e.Iterations
	}
	return 0
}

func unixTime(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
