package scheduler

import (
	"math"
	"time"
)

// An arrival schedule gives the planned start times of an open-model group's
// iterations, in order, as offsets from the group's start. Schedules are pure
// functions of their settings (no clock): the driver walks one against the clock,
// and the tests walk them without sleeping.
type arrivalSchedule interface {
	// next returns the start of the next iteration; ok is false after the last.
	next() (at time.Duration, ok bool)
}

// constantArrivals starts iteration n at n·timeUnit/rate, for every such time before
// duration (k6's constant-arrival-rate: the first iteration starts at once).
type constantArrivals struct {
	rate     int64 // iterations per timeUnit, > 0
	timeUnit time.Duration
	duration time.Duration
	n        int64
}

func (c *constantArrivals) next() (time.Duration, bool) {
	at := time.Duration(mulDiv(c.n, int64(c.timeUnit), c.rate))
	if at >= c.duration {
		return 0, false
	}
	c.n++
	return at, true
}

// rampingArrivals follows stages of rates (iterations per timeUnit) that change
// linearly; iteration i (from 1) starts when the integral of the rate since the
// start reaches i, as in k6's ramping-arrival-rate, for every such time before the
// end of the last stage (like constantArrivals, the schedule is the half-open span
// [0, end): the group ends at its end). Times are computed in float64 nanoseconds,
// which is exact to well under a microsecond for any realistic test.
type rampingArrivals struct {
	stages   []Stage
	timeUnit time.Duration
	end      time.Duration

	si         int
	from       float64 // rate at the start of the current stage, per ns
	stageStart time.Duration
	doneSoFar  float64 // integral up to the start of the current stage
	endCount   float64 // integral up to the end of the current stage
	i          float64 // the next iteration's number, from 1
	entered    bool    // endCount covers the current stage
}

func newRampingArrivals(startRate int64, stages []Stage, timeUnit time.Duration) *rampingArrivals {
	return &rampingArrivals{stages: stages, timeUnit: timeUnit, end: stagesDuration(stages),
		from: float64(startRate) / float64(timeUnit), i: 1}
}

func (r *rampingArrivals) next() (time.Duration, bool) {
	for r.si < len(r.stages) {
		s := r.stages[r.si]
		to := float64(s.Target) / float64(r.timeUnit)
		dur := float64(s.Duration)
		if !r.entered {
			r.entered = true
			r.endCount = r.doneSoFar + dur*(r.from+to)/2
		}
		if r.i <= r.endCount+1e-9 {
			c := r.i - r.doneSoFar
			var x float64
			switch {
			case r.i >= r.endCount-1e-9: // the stage's last: exactly at its end (the root is ill-conditioned there)
				x = dur
			case r.from == to:
				x = c / to
			default:
				// Solve from·x + (to-from)·x²/(2·dur) = c for x in [0, dur].
				x = (r.from*dur - math.Sqrt(max(0, dur*(r.from*r.from*dur+2*c*(to-r.from))))) / (r.from - to)
			}
			r.i++
			at := r.stageStart + time.Duration(math.Round(min(x, dur)))
			if at >= r.end {
				r.si = len(r.stages)
				return 0, false
			}
			return at, true
		}
		r.doneSoFar = r.endCount
		r.from = to
		r.stageStart += s.Duration
		r.si++
		r.entered = false
	}
	return 0, false
}

// ownedArrivals is the part of a schedule a segment owns: the starts whose
// index (0-based, in the whole schedule) its stripe owns, at their times in the
// whole schedule. It walks the whole schedule, which costs a few nanoseconds
// per start another segment owns.
type ownedArrivals struct {
	all arrivalSchedule
	own stripe
	j   int64 // index of the next start of all
}

// owned returns the part of s that p owns: s itself without a part.
func owned(s arrivalSchedule, p *part) arrivalSchedule {
	if p == nil {
		return s
	}
	return &ownedArrivals{all: s, own: p.iters}
}

func (o *ownedArrivals) next() (time.Duration, bool) {
	if o.own.count == 0 {
		return 0, false
	}
	for {
		at, ok := o.all.next()
		if !ok {
			return 0, false
		}
		j := o.j
		o.j++
		if o.own.owns(j) {
			return at, true
		}
	}
}
