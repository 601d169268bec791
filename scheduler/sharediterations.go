package scheduler

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// SharedIterations runs Iterations iterations in total, shared among VUs: each VU
// takes the next one as soon as it is free (k6's shared-iterations).
type SharedIterations struct {
	VUs         int64
	Iterations  int64
	MaxDuration time.Duration // 0 for none

	part *part // set in a segment's part
}

// buildSharedIterations reads a shared-iterations group's settings.
func buildSharedIterations(f *groupFields) Executor {
	e := &SharedIterations{VUs: f.count("vus", 1, 1), Iterations: f.count("iterations", 1, 1),
		MaxDuration: f.duration("maxDuration", DefaultMaxDuration)}
	if f.err == nil && e.Iterations < e.VUs {
		f.fail("iterations", fmt.Errorf("%d iterations for %d VUs would leave VUs idle: give at least as many iterations as VUs, or fewer vus", e.Iterations, e.VUs))
	}
	return e
}

// splitSharedIterations deals the iterations by the VUs' share, as k6 does:
// iteration j goes to the segment that owns VU j mod VUs, so each segment gets
// iterations in proportion to its VUs (at least one per VU, none without VUs).
// Work stealing stays within a segment: a slower segment ends later.
func splitSharedIterations(e Executor, s share) Executor {
	x := *e.(*SharedIterations)
	iters := s.among(x.VUs)
	x.VUs, x.Iterations = s.count(x.VUs), iters.owned(x.Iterations)
	x.part = &part{seg: s.Segment, whole: e, vus: s.vus(), iters: iters}
	return &x
}

// MaxVUs implements Executor.
func (e *SharedIterations) MaxVUs() int64 { return e.VUs }

// InitVUs implements Executor.
func (e *SharedIterations) InitVUs() int64 { return e.VUs }

// PlannedDuration implements Executor.
func (e *SharedIterations) PlannedDuration() time.Duration { return e.MaxDuration }

// Describe implements Executor.
func (e *SharedIterations) Describe() string {
	s := fmt.Sprintf("%s, %d iterations shared by %d VUs", e.kind(), e.Iterations, e.VUs)
	if e.MaxDuration > 0 {
		s += ", at most " + FormatDuration(e.MaxDuration)
	}
	return e.part.describe(s)
}

func (e *SharedIterations) kind() string       { return "shared-iterations" }
func (e *SharedIterations) endsByCount() bool  { return true }
func (e *SharedIterations) timeline() []string { return nil }

func (e *SharedIterations) start() *execution {
	s := &sharedCounter{limit: e.Iterations, number: e.part.iterations()}
	return &execution{next: s.next, exhausted: s.exhausted}
}

// sharedCounter hands out the group's iterations, in order, to whichever VU
// asks first.
type sharedCounter struct {
	limit  int64
	number stripe       // the group-wide number of the i-th iteration handed out here
	n      atomic.Int64 // iterations handed out (and attempts past the limit)
}

func (s *sharedCounter) exhausted(int64) bool { return s.n.Load() >= s.limit }

func (s *sharedCounter) next(ctx context.Context, _ int, _ int64) (work, bool) {
	if ctx.Err() != nil {
		return work{}, false
	}
	i := s.n.Add(1) - 1
	if i >= s.limit {
		return work{}, false
	}
	return work{inGroup: s.number.nth(i)}, true
}
