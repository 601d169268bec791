package scheduler

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// Executor decides how many VUs a group needs and when each of them starts an
// iteration. It is a description; start makes the per-run state.
type Executor interface {
	// MaxVUs is the most VUs the group may use; VU ids and per-VU data rows are
	// reserved for that many.
	MaxVUs() int64
	// InitVUs is how many VUs are initialised before the test starts; the others,
	// up to MaxVUs, are initialised on demand (arrival-rate executors).
	InitVUs() int64
	// PlannedDuration is the planned length of the group, or its maximum for the
	// executors that end by iteration count (0 for none); the group's iterations
	// stop being started when it elapses.
	PlannedDuration() time.Duration
	// Describe summarises the executor on one line for `jsload check`.
	Describe() string
	// start returns the state of one run of the group.
	start() iterationSource
}

// staged is an Executor whose load changes over time: it adds one line per stage
// to the plan.
type staged interface {
	timeline() []string
}

// byCount is an Executor that ends by iteration count; its PlannedDuration is a
// maximum.
type byCount interface {
	iterationBound()
}

// work is one iteration handed to a VU.
type work struct {
	inGroup int64     // the iteration's group-wide number
	planned time.Time // when an arrival-rate iteration was planned to start; zero otherwise
}

// iterationSource hands out iterations to a group's VUs during one run.
type iterationSource interface {
	// next blocks until VU number vu (0-based in the group), which has completed done
	// iterations so far, should start another, and returns it; false when the VU
	// has no more work. It returns false at once when ctx (the group's "stop
	// starting iterations" context) is done. Each VU calls it from its own
	// goroutine; sources are safe for that.
	next(ctx context.Context, vu int, done int64) (work, bool)
}

// finite is an iteration source that can tell when a VU has no more work, so that
// the VU does not wait its pacing for nothing.
type finite interface {
	exhausted(done int64) bool
}

// SharedIterations runs Iterations iterations in total, shared among VUs: each VU
// takes the next one as soon as it is free (k6's shared-iterations).
type SharedIterations struct {
	VUs         int64
	Iterations  int64
	MaxDuration time.Duration // 0 for none
}

// MaxVUs implements Executor.
func (e *SharedIterations) MaxVUs() int64 { return e.VUs }

// InitVUs implements Executor.
func (e *SharedIterations) InitVUs() int64 { return e.VUs }

func (e *SharedIterations) iterationBound() {}

// PlannedDuration implements Executor.
func (e *SharedIterations) PlannedDuration() time.Duration { return e.MaxDuration }

// Describe implements Executor.
func (e *SharedIterations) Describe() string {
	s := fmt.Sprintf("shared-iterations, %d iterations shared by %d VUs", e.Iterations, e.VUs)
	if e.MaxDuration > 0 {
		s += ", at most " + FormatDuration(e.MaxDuration)
	}
	return s
}

func (e *SharedIterations) start() iterationSource {
	return &sharedCounter{limit: e.Iterations}
}

type sharedCounter struct {
	limit int64
	n     atomic.Int64
}

func (s *sharedCounter) exhausted(int64) bool { return s.n.Load() >= s.limit }

func (s *sharedCounter) next(ctx context.Context, _ int, _ int64) (work, bool) {
	if ctx.Err() != nil {
		return work{}, false
	}
	i := s.n.Add(1) - 1
	return work{inGroup: i}, i < s.limit
}

// PerVUIterations makes each VU run Iterations iterations (k6's per-vu-iterations).
type PerVUIterations struct {
	VUs         int64
	Iterations  int64
	MaxDuration time.Duration
}

// MaxVUs implements Executor.
func (e *PerVUIterations) MaxVUs() int64 { return e.VUs }

// InitVUs implements Executor.
func (e *PerVUIterations) InitVUs() int64 { return e.VUs }

func (e *PerVUIterations) iterationBound() {}

// PlannedDuration implements Executor.
func (e *PerVUIterations) PlannedDuration() time.Duration { return e.MaxDuration }

// Describe implements Executor.
func (e *PerVUIterations) Describe() string {
	s := fmt.Sprintf("per-vu-iterations, %d VUs × %d iterations", e.VUs, e.Iterations)
	if e.MaxDuration > 0 {
		s += ", at most " + FormatDuration(e.MaxDuration)
	}
	return s
}

func (e *PerVUIterations) start() iterationSource { return &perVU{each: e.Iterations} }

type perVU struct {
	each int64
	n    atomic.Int64
}

func (p *perVU) exhausted(done int64) bool { return done >= p.each }

func (p *perVU) next(ctx context.Context, _ int, done int64) (work, bool) {
	if ctx.Err() != nil || done >= p.each {
		return work{}, false
	}
	return work{inGroup: p.n.Add(1) - 1}, true
}

// ConstantVUs keeps VUs looping for Duration (k6's constant-vus).
type ConstantVUs struct {
	VUs      int64
	Duration time.Duration
}

// MaxVUs implements Executor.
func (e *ConstantVUs) MaxVUs() int64 { return e.VUs }

// InitVUs implements Executor.
func (e *ConstantVUs) InitVUs() int64 { return e.VUs }

// PlannedDuration implements Executor.
func (e *ConstantVUs) PlannedDuration() time.Duration { return e.Duration }

// Describe implements Executor.
func (e *ConstantVUs) Describe() string {
	return fmt.Sprintf("constant-vus, %d VUs for %s", e.VUs, FormatDuration(e.Duration))
}

func (e *ConstantVUs) start() iterationSource { return &untilStopped{} }

type untilStopped struct{ n atomic.Int64 }

func (u *untilStopped) next(ctx context.Context, _ int, _ int64) (work, bool) {
	if ctx.Err() != nil {
		return work{}, false
	}
	return work{inGroup: u.n.Add(1) - 1}, true
}
