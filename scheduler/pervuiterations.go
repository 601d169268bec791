package scheduler

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// PerVUIterations makes each VU run Iterations iterations (k6's per-vu-iterations).
type PerVUIterations struct {
	VUs         int64
	Iterations  int64
	MaxDuration time.Duration // 0 for none

	part *part // set in a segment's part
}

// buildPerVUIterations reads a per-vu-iterations group's settings.
func buildPerVUIterations(f *groupFields) Executor {
	return &PerVUIterations{VUs: f.count("vus", 1, 1), Iterations: f.count("iterations", 1, 1),
		MaxDuration: f.duration("maxDuration", DefaultMaxDuration)}
}

// splitPerVUIterations: the segment's VUs, each with all its iterations; the
// group-wide number of iteration d of VU k is k·Iterations + d.
func splitPerVUIterations(e Executor, s share) Executor {
	x := *e.(*PerVUIterations)
	x.VUs = s.count(x.VUs)
	n, it := int64(s.Count), x.Iterations
	x.part = &part{seg: s.Segment, whole: e, vus: s.vus(),
		iters: stripe{period: n * it, first: s.offset * it, step: 1, count: it}}
	return &x
}

// MaxVUs implements Executor.
func (e *PerVUIterations) MaxVUs() int64 { return e.VUs }

// InitVUs implements Executor.
func (e *PerVUIterations) InitVUs() int64 { return e.VUs }

// PlannedDuration implements Executor.
func (e *PerVUIterations) PlannedDuration() time.Duration { return e.MaxDuration }

// Describe implements Executor.
func (e *PerVUIterations) Describe() string {
	s := fmt.Sprintf("%s, %d VUs × %d iterations", e.kind(), e.VUs, e.Iterations)
	if e.MaxDuration > 0 {
		s += ", at most " + FormatDuration(e.MaxDuration)
	}
	return e.part.describe(s)
}

func (e *PerVUIterations) kind() string       { return "per-vu-iterations" }
func (e *PerVUIterations) endsByCount() bool  { return true }
func (e *PerVUIterations) timeline() []string { return nil }

func (e *PerVUIterations) start() *execution {
	p := &perVU{each: e.Iterations, number: e.part.iterations()}
	return &execution{next: p.next, exhausted: p.exhausted}
}

// perVU lets each VU run its own number of iterations.
type perVU struct {
	each   int64
	number stripe       // the group-wide number of the n-th iteration started here
	n      atomic.Int64 // iterations started in the group
}

func (p *perVU) exhausted(done int64) bool { return done >= p.each }

func (p *perVU) next(ctx context.Context, _ int, done int64) (work, bool) {
	if ctx.Err() != nil || done >= p.each {
		return work{}, false
	}
	return work{inGroup: p.number.nth(p.n.Add(1) - 1)}, true
}
