package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultGracefulRampDown is how long a VU being ramped down gets to finish its
// iteration, unless the group's gracefulRampDown says otherwise.
const DefaultGracefulRampDown = 30 * time.Second

// ErrRampedDown is the cause of an iteration interrupted because its VU was ramped
// down and did not finish within the group's gracefulRampDown.
var ErrRampedDown = errors.New("VU ramped down: gracefulRampDown timed out, iteration interrupted")

// RampingVUs varies the number of active VUs from StartVUs along Stages (k6's
// ramping-vus). A VU being ramped down finishes its running iteration within
// GracefulRampDown, then it is interrupted; it starts no new iteration until it is
// active again. Every VU the ramp ever needs is initialised before the test starts.
type RampingVUs struct {
	StartVUs         int64
	Stages           []Stage
	GracefulRampDown time.Duration

	part *part // set in a segment's part
}

// buildRampingVUs reads a ramping-vus group's settings.
func buildRampingVUs(f *groupFields) Executor {
	e := &RampingVUs{StartVUs: f.count("startVUs", 1, 0), Stages: f.stages("stages", "VUs"),
		GracefulRampDown: f.duration("gracefulRampDown", DefaultGracefulRampDown)}
	if f.err == nil && e.MaxVUs() == 0 {
		f.fail("stages", fmt.Errorf("no stage has a VU: give a stage a target of 1 or more"))
	}
	return e
}

// splitRampingVUs: the segment walks the same ramp as the whole test and, when
// the whole test has T VUs active, runs its share of the first T: its own
// active VUs stay a prefix of its VUs, and the segments' active VUs add up to T
// at every instant (which needs the segments to start together).
func splitRampingVUs(e Executor, s share) Executor {
	x := *e.(*RampingVUs)
	x.part = &part{seg: s.Segment, whole: e, vus: s.vus(), iters: s.vus()}
	return &x
}

// active is how many of the executor's VUs are active while the ramp is at
// target VUs: target in the whole test, the segment's share of the first
// target VUs in a part.
func (e *RampingVUs) active(target int64) int64 {
	if e.part == nil {
		return target
	}
	return e.part.vus.owned(target)
}

// MaxVUs implements Executor.
func (e *RampingVUs) MaxVUs() int64 { return e.active(maxTarget(e.StartVUs, e.Stages)) }

// InitVUs implements Executor.
func (e *RampingVUs) InitVUs() int64 { return e.MaxVUs() }

// PlannedDuration implements Executor.
func (e *RampingVUs) PlannedDuration() time.Duration { return stagesDuration(e.Stages) }

// Describe implements Executor.
func (e *RampingVUs) Describe() string {
	return e.part.describe(fmt.Sprintf("%s, %d → %d VUs at most, %s over %s, gracefulRampDown %s",
		e.kind(), e.active(e.StartVUs), e.MaxVUs(), plural(len(e.Stages), "stage"), FormatDuration(e.PlannedDuration()),
		FormatDuration(e.GracefulRampDown)))
}

func (e *RampingVUs) kind() string      { return "ramping-vus" }
func (e *RampingVUs) endsByCount() bool { return false }
func (e *RampingVUs) timeline() []string {
	if e.part != nil {
		return stagesTimeline(e.active(e.StartVUs), shareStages(e.Stages, e.active), "VUs of this segment")
	}
	return stagesTimeline(e.StartVUs, e.Stages, "VUs")
}

// shareStages returns stages with each target replaced by active(target), for
// a segment's timeline.
func shareStages(stages []Stage, active func(int64) int64) []Stage {
	out := make([]Stage, len(stages))
	for i, s := range stages {
		out[i] = Stage{Duration: s.Duration, Target: active(s.Target)}
	}
	return out
}

func (e *RampingVUs) start() *execution {
	r := &rampSource{grace: e.GracefulRampDown, cursor: newRampCursor(e.StartVUs, e.Stages),
		slots: make([]vuSlot, e.MaxVUs()), active: e.active, number: e.part.iterations()}
	for i := range r.slots {
		r.slots[i].wake = make(chan struct{}, 1)
	}
	r.target.Store(e.active(e.StartVUs))
	return &execution{next: r.next, drive: r.drive, iterationContext: r.iterationContext}
}

// rampSource is one run of a ramping-vus group. VU i (0-based) is active while
// i < target. The controller (drive, on a goroutine of its own) moves target along
// the ramp: it wakes each VU it activates through the VU's own channel, and gives
// each VU it deactivates mid-iteration a gracefulRampDown timer that interrupts that
// iteration. Per VU slot:
//
//	state                   event                      → state
//	idle, active            next()                     → running
//	idle, inactive          next() blocks on wake      → woken when activated
//	running                 deactivated                → running with a ramp-down timer
//	running with timer      reactivated                → running (timer stopped)
//	running with timer      timer fires                → iteration interrupted (ErrRampedDown);
//	                                                     the VU's next iteration gets a new context
//	running [with timer]    iteration ends             → idle (timer stopped)
type rampSource struct {
	grace  time.Duration
	cursor *rampCursor              // used by the controller only; walks the whole test's ramp
	active func(target int64) int64 // this run's active VUs when the whole ramp is at target
	number stripe                   // the group-wide number of the n-th iteration started here
	target atomic.Int64             // this run's active VUs
	slots  []vuSlot
	n      atomic.Int64 // iterations started in the group
}

// vuSlot is the controller's handle on one VU.
type vuSlot struct {
	wake chan struct{} // buffered 1: "you may be active again"; never closed

	mu      sync.Mutex
	ctx     context.Context // the VU's iterations' context, renewed after a ramp-down cancelled it
	cancel  context.CancelCauseFunc
	running bool        // inside an iteration
	timer   *time.Timer // the running iteration's ramp-down deadline, or nil
}

func (r *rampSource) next(ctx context.Context, vu int, _ int64) (work, bool) {
	for int64(vu) >= r.target.Load() {
		select {
		case <-r.slots[vu].wake:
		case <-ctx.Done():
			return work{}, false
		}
	}
	if ctx.Err() != nil {
		return work{}, false
	}
	return work{inGroup: r.number.nth(r.n.Add(1) - 1)}, true
}

// iterationContext returns the context of VU vu's next iteration, a child of
// parent that a ramp-down may cancel, and the function to call when the iteration
// ends. The context is kept from one iteration to the next until a ramp-down
// cancels it, so that a steady VU costs no allocation per iteration.
func (r *rampSource) iterationContext(vu int, parent context.Context) (context.Context, func()) {
	s := &r.slots[vu]
	s.mu.Lock()
	if s.ctx == nil || s.ctx.Err() != nil {
		s.ctx, s.cancel = context.WithCancelCause(parent)
	}
	s.running = true
	ctx := s.ctx
	s.mu.Unlock()
	if int64(vu) >= r.target.Load() { // deactivated since next returned
		r.deactivate(vu)
	}
	return ctx, func() {
		s.mu.Lock()
		s.running = false
		if s.timer != nil {
			s.timer.Stop()
			s.timer = nil
		}
		s.mu.Unlock()
	}
}

// deactivate gives VU vu's running iteration, if any, gracefulRampDown to finish.
// The timer cancels only if it is still the slot's timer when it fires: an
// iteration that ended, or a VU activated again, has cleared it.
func (r *rampSource) deactivate(vu int) {
	s := &r.slots[vu]
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running || s.timer != nil {
		return
	}
	var tm *time.Timer
	tm = time.AfterFunc(r.grace, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.timer == tm {
			s.cancel(ErrRampedDown)
			s.timer = nil
		}
	})
	s.timer = tm
}

// activate lets VU vu start iterations again and lifts a pending ramp-down.
func (r *rampSource) activate(vu int) {
	s := &r.slots[vu]
	s.mu.Lock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // already signalled
	}
}

// set moves the number of active VUs to vus.
func (r *rampSource) set(vus int64) {
	vus = min(vus, int64(len(r.slots)))
	old := r.target.Swap(vus)
	for i := old; i < vus; i++ {
		r.activate(int(i))
	}
	for i := vus; i < old; i++ {
		r.deactivate(int(i))
	}
}

// drive is the controller: it follows the ramp against the clock from the group's
// start until the last stage or the group's stop.
func (r *rampSource) drive(env *driveEnv) {
	tm := newStoppedTimer()
	for {
		at, vus, ok := r.cursor.next()
		if !ok || !sleepUntil(env.stop, tm, env.begin.Add(at)) {
			return
		}
		r.set(r.active(vus))
	}
}

// stagesTimeline is a ramp's timeline in a plan: one stageLine per stage, from
// start, counted in unit.
func stagesTimeline(start int64, stages []Stage, unit string) []string {
	lines := make([]string, 0, len(stages))
	from := start
	var at time.Duration
	for _, s := range stages {
		lines = append(lines, stageLine(at, s, float64(from), unit))
		at += s.Duration
		from = s.Target
	}
	return lines
}

// stageLine is one line of a plan's timeline: "0s → 10s  0 → 20 VUs".
func stageLine(at time.Duration, s Stage, from float64, unit string) string {
	span := fmt.Sprintf("%s → %s", FormatDuration(at), FormatDuration(at+s.Duration))
	switch {
	case s.Duration == 0:
		return fmt.Sprintf("%-16s jump to %d %s", "at "+FormatDuration(at), s.Target, unit)
	case from == float64(s.Target):
		return fmt.Sprintf("%-16s %d %s", span, s.Target, unit)
	}
	return fmt.Sprintf("%-16s %s → %d %s", span, formatNumber(from), s.Target, unit)
}

func formatNumber(f float64) string { return fmt.Sprintf("%g", f) }

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
