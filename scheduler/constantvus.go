package scheduler

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// ConstantVUs keeps VUs looping for Duration (k6's constant-vus).
type ConstantVUs struct {
	VUs      int64
	Duration time.Duration

	part *part // set in a segment's part
}

// buildConstantVUs reads a constant-vus group's settings.
func buildConstantVUs(f *groupFields) Executor {
	f.required("duration", "'1m'")
	e := &ConstantVUs{VUs: f.count("vus", 1, 1), Duration: f.duration("duration", 0)}
	if f.err == nil && e.Duration == 0 {
		f.fail("duration", fmt.Errorf("is 0: give a positive duration, e.g. '1m'"))
	}
	return e
}

// splitConstantVUs: the segment's VUs for the whole duration; its iterations
// are numbered n·N + offset, unique across the segments.
func splitConstantVUs(e Executor, s share) Executor {
	x := *e.(*ConstantVUs)
	x.VUs = s.count(x.VUs)
	x.part = &part{seg: s.Segment, whole: e, vus: s.vus(), iters: s.vus()}
	return &x
}

// MaxVUs implements Executor.
func (e *ConstantVUs) MaxVUs() int64 { return e.VUs }

// InitVUs implements Executor.
func (e *ConstantVUs) InitVUs() int64 { return e.VUs }

// PlannedDuration implements Executor.
func (e *ConstantVUs) PlannedDuration() time.Duration { return e.Duration }

// Describe implements Executor.
func (e *ConstantVUs) Describe() string {
	return e.part.describe(fmt.Sprintf("%s, %d VUs for %s", e.kind(), e.VUs, FormatDuration(e.Duration)))
}

func (e *ConstantVUs) kind() string       { return "constant-vus" }
func (e *ConstantVUs) endsByCount() bool  { return false }
func (e *ConstantVUs) timeline() []string { return nil }

func (e *ConstantVUs) start() *execution {
	u := &untilStopped{number: e.part.iterations()}
	return &execution{next: u.next}
}

// untilStopped gives every VU another iteration until the group stops.
type untilStopped struct {
	number stripe       // the group-wide number of the n-th iteration started here
	n      atomic.Int64 // iterations started in the group
}

func (u *untilStopped) next(ctx context.Context, _ int, _ int64) (work, bool) {
	if ctx.Err() != nil {
		return work{}, false
	}
	return work{inGroup: u.number.nth(u.n.Add(1) - 1)}, true
}
