package scheduler

import (
	"context"
	"fmt"
	"time"
)

// VUPool is the VUs of an open-model (arrival-rate) group: PreAllocated are
// initialised before the test starts; when an iteration is due and none of them is
// free, the iteration is dropped and one more VU is initialised, up to Max.
type VUPool struct {
	PreAllocated int64
	Max          int64
}

func (p VUPool) describe() string {
	if p.Max > p.PreAllocated {
		return fmt.Sprintf("%s, up to %d", plural(int(p.PreAllocated), "pre-allocated VU"), p.Max)
	}
	return plural(int(p.PreAllocated), "VU")
}

// ConstantArrivalRate starts Rate iterations per TimeUnit for Duration, whatever
// the iterations' own length (k6's constant-arrival-rate, an open model).
type ConstantArrivalRate struct {
	Rate     int64
	TimeUnit time.Duration
	Duration time.Duration
	Pool     VUPool

	part *part // set in a segment's part: part.iters are the starts it owns
}

// buildConstantArrivalRate reads a constant-arrival-rate group's settings.
func buildConstantArrivalRate(f *groupFields) Executor {
	f.required("rate", "50")
	f.required("duration", "'1m'")
	e := &ConstantArrivalRate{Rate: f.count("rate", 1, 1), TimeUnit: timeUnit(f),
		Duration: f.duration("duration", 0), Pool: buildPool(f)}
	if f.err == nil && e.Duration == 0 {
		f.fail("duration", fmt.Errorf("is 0: give a positive duration, e.g. '1m'"))
	}
	noPacing(f)
	return e
}

// MaxVUs implements Executor.
func (e *ConstantArrivalRate) MaxVUs() int64 { return e.Pool.Max }

// InitVUs implements Executor.
func (e *ConstantArrivalRate) InitVUs() int64 { return e.Pool.PreAllocated }

// PlannedDuration implements Executor.
func (e *ConstantArrivalRate) PlannedDuration() time.Duration { return e.Duration }

// Describe implements Executor.
func (e *ConstantArrivalRate) Describe() string {
	if e.part != nil {
		return e.part.describe(fmt.Sprintf("%s, %d of the %d iterations, %s", e.kind(),
			e.part.iters.owned(e.planned()), e.planned(), e.Pool.describe()))
	}
	return fmt.Sprintf("%s, %s for %s (%d iterations), %s", e.kind(),
		formatRate(float64(e.Rate), e.TimeUnit), FormatDuration(e.Duration), e.planned(), e.Pool.describe())
}

func (e *ConstantArrivalRate) kind() string       { return "constant-arrival-rate" }
func (e *ConstantArrivalRate) endsByCount() bool  { return false }
func (e *ConstantArrivalRate) timeline() []string { return nil }

// planned is the number of iterations the schedule starts.
func (e *ConstantArrivalRate) planned() int64 {
	return mulDivCeil(int64(e.Duration), e.Rate, int64(e.TimeUnit))
}

// schedule is the run's schedule: the whole test's, or the starts a part owns.
func (e *ConstantArrivalRate) schedule() arrivalSchedule {
	return owned(&constantArrivals{rate: e.Rate, timeUnit: e.TimeUnit, duration: e.Duration}, e.part)
}

func (e *ConstantArrivalRate) start() *execution {
	return newArrivalSource(e.schedule(), e.Pool, e.part.iterations()).execution()
}

// splitConstantArrivalRate: see splitArrivals.
func splitConstantArrivalRate(e Executor, s share) Executor {
	x := *e.(*ConstantArrivalRate)
	x.Pool, x.part = splitArrivals(e, x.Pool, s)
	return &x
}

// splitArrivals splits an arrival-rate group: the segment gets its share of the
// pre-allocated and of the most VUs, and the starts it owns of the whole test's
// schedule, each at the time it has in the whole test. When every segment has
// a VU (maxVUs ≥ N) they take every N-th start in turn (200/s on 3 segments:
// one start every 15 ms in each, 5 ms apart); otherwise the starts are dealt
// by the VUs' share, so a segment without a VU gets none. Ownership is by the
// start's index, so a float rounding that differs between machines cannot
// lose or repeat a start.
func splitArrivals(whole Executor, pool VUPool, s share) (VUPool, *part) {
	iters := s.vus()
	if pool.Max < int64(s.Count) {
		iters = s.among(pool.Max)
	}
	return VUPool{PreAllocated: s.count(pool.PreAllocated), Max: s.count(pool.Max)},
		&part{seg: s.Segment, whole: whole, vus: s.vus(), iters: iters}
}

// RampingArrivalRate varies the arrival rate from StartRate along Stages, in
// iterations per TimeUnit (k6's ramping-arrival-rate, an open model).
type RampingArrivalRate struct {
	StartRate int64
	Stages    []Stage
	TimeUnit  time.Duration
	Pool      VUPool

	part *part // set in a segment's part: part.iters are the starts it owns
}

// buildRampingArrivalRate reads a ramping-arrival-rate group's settings.
func buildRampingArrivalRate(f *groupFields) Executor {
	e := &RampingArrivalRate{StartRate: f.count("startRate", 0, 0), Stages: f.stages("stages", "iterations per timeUnit"),
		TimeUnit: timeUnit(f), Pool: buildPool(f)}
	noPacing(f)
	return e
}

// MaxVUs implements Executor.
func (e *RampingArrivalRate) MaxVUs() int64 { return e.Pool.Max }

// InitVUs implements Executor.
func (e *RampingArrivalRate) InitVUs() int64 { return e.Pool.PreAllocated }

// PlannedDuration implements Executor.
func (e *RampingArrivalRate) PlannedDuration() time.Duration { return stagesDuration(e.Stages) }

// Describe implements Executor.
func (e *RampingArrivalRate) Describe() string {
	top := float64(maxTarget(e.StartRate, e.Stages))
	s := fmt.Sprintf("%s, %d → %s at most, %s over %s, %s", e.kind(),
		e.StartRate, formatRate(top, e.TimeUnit), plural(len(e.Stages), "stage"),
		FormatDuration(e.PlannedDuration()), e.Pool.describe())
	if e.part != nil {
		s += fmt.Sprintf(" (the whole test's rates: this segment starts %s of the iterations)", e.part.fraction())
	}
	return e.part.describe(s)
}

func (e *RampingArrivalRate) kind() string      { return "ramping-arrival-rate" }
func (e *RampingArrivalRate) endsByCount() bool { return false }

func (e *RampingArrivalRate) timeline() []string {
	return stagesTimeline(e.StartRate, e.Stages, "iterations"+rateUnit(e.TimeUnit))
}

// schedule is the run's schedule: the whole test's, or the starts a part owns.
func (e *RampingArrivalRate) schedule() arrivalSchedule {
	return owned(newRampingArrivals(e.StartRate, e.Stages, e.TimeUnit), e.part)
}

func (e *RampingArrivalRate) start() *execution {
	return newArrivalSource(e.schedule(), e.Pool, e.part.iterations()).execution()
}

// splitRampingArrivalRate: see splitArrivals.
func splitRampingArrivalRate(e Executor, s share) Executor {
	x := *e.(*RampingArrivalRate)
	x.Pool, x.part = splitArrivals(e, x.Pool, s)
	return &x
}

// timeUnit reads an arrival-rate group's timeUnit (default 1s).
func timeUnit(f *groupFields) time.Duration {
	u := f.duration("timeUnit", time.Second)
	if u <= 0 && f.err == nil {
		f.fail("timeUnit", fmt.Errorf("is 0: give the period the rate is counted in, e.g. '1s' or '1m'"))
		return time.Second
	}
	return u
}

// buildPool reads preAllocatedVUs (required) and maxVUs (default: preAllocatedVUs).
func buildPool(f *groupFields) VUPool {
	f.required("preAllocatedVUs", "10")
	p := VUPool{PreAllocated: f.count("preAllocatedVUs", 1, 1)}
	p.Max = f.count("maxVUs", p.PreAllocated, 1)
	if f.err == nil && p.Max < p.PreAllocated {
		f.fail("maxVUs", fmt.Errorf("%d is less than preAllocatedVUs (%d): maxVUs is the most VUs the group may use, so it must be at least preAllocatedVUs",
			p.Max, p.PreAllocated))
	}
	return p
}

// noPacing rejects pacing, which an open model has no use for.
func noPacing(f *groupFields) {
	if f.err == nil && f.duration("pacing", 0) > 0 {
		f.fail("pacing", fmt.Errorf("an arrival-rate group starts iterations at its rate, so pacing does not apply: remove it"))
	}
}

func formatRate(rate float64, unit time.Duration) string {
	return formatNumber(rate) + " iterations" + rateUnit(unit)
}

func rateUnit(unit time.Duration) string {
	switch unit {
	case time.Second:
		return "/s"
	case time.Minute:
		return "/min"
	case time.Hour:
		return "/h"
	}
	return " per " + FormatDuration(unit)
}

// arrivalSource is one run of an arrival-rate group. The driver (on a goroutine of
// its own) walks the schedule against the clock and hands each due iteration to a
// free VU: free holds the indexes of the VUs waiting for work, and each VU has a
// work channel of its own (buffered 1, so the hand-off never blocks the driver). A
// VU joins free when it is initialised (vuInit done, before the test starts for
// the pre-allocated ones) and again after each iteration. When free is empty the
// iteration is dropped (counted in dropped_iterations) and the pool grows by one
// VU, initialised on its own goroutine, until it reaches its maximum (then a
// warning is logged once). The driver is the only writer of the work channels and
// closes them all when the schedule ends or the group stops.
type arrivalSource struct {
	sched  arrivalSchedule
	pool   VUPool
	number stripe   // the group-wide number of the n-th iteration started here
	free   chan int // capacity pool.Max: each VU is in it at most once
	work   []chan work
}

func newArrivalSource(s arrivalSchedule, pool VUPool, number stripe) *arrivalSource {
	a := &arrivalSource{sched: s, pool: pool, number: number, free: make(chan int, pool.Max), work: make([]chan work, pool.Max)}
	for i := range a.work {
		a.work[i] = make(chan work, 1)
	}
	return a
}

// execution is the run's Executor state: an open model with a driver.
func (a *arrivalSource) execution() *execution {
	return &execution{next: a.next, drive: a.drive, join: a.join}
}

// join adds VU vu, initialised, to the free VUs.
func (a *arrivalSource) join(vu int) { a.free <- vu }

func (a *arrivalSource) next(ctx context.Context, vu int, done int64) (work, bool) {
	if done > 0 { // back from an iteration; the first time, join has put the VU in free
		a.free <- vu
	}
	select {
	case w, ok := <-a.work[vu]:
		return w, ok
	case <-ctx.Done():
		return work{}, false
	}
}

// drive is the dispatcher: it walks the schedule against the clock from the
// group's start until the schedule ends or the group stops.
func (a *arrivalSource) drive(env *driveEnv) {
	defer func() {
		for _, c := range a.work {
			close(c)
		}
	}()
	tm := env.newTimer()
	defer tm.close()
	vus := a.pool.PreAllocated
	var started int64
	for {
		at, ok := a.sched.next()
		if !ok {
			return
		}
		planned := env.begin.Add(at)
		if !tm.sleepUntil(env.stop, planned) {
			return
		}
		select {
		case vu := <-a.free:
			a.work[vu] <- work{inGroup: a.number.nth(started), planned: planned}
			started++
			continue
		default:
		}
		env.dropped()
		if vus < a.pool.Max {
			env.startVU(int(vus))
			vus++
		} else {
			env.warn(fmt.Sprintf("group %q: all %d VUs were busy when an iteration was due: iterations are dropped and counted in dropped_iterations; raise maxVUs or lower the rate",
				env.group, a.pool.Max))
		}
	}
}
