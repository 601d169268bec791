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
}

// MaxVUs implements Executor.
func (e *ConstantArrivalRate) MaxVUs() int64 { return e.Pool.Max }

// InitVUs implements Executor.
func (e *ConstantArrivalRate) InitVUs() int64 { return e.Pool.PreAllocated }

// PlannedDuration implements Executor.
func (e *ConstantArrivalRate) PlannedDuration() time.Duration { return e.Duration }

// Describe implements Executor.
func (e *ConstantArrivalRate) Describe() string {
	return fmt.Sprintf("constant-arrival-rate, %s for %s (%d iterations), %s",
		formatRate(float64(e.Rate), e.TimeUnit), FormatDuration(e.Duration), e.planned(), e.Pool.describe())
}

// planned is the number of iterations the schedule starts.
func (e *ConstantArrivalRate) planned() int64 {
	return mulDivCeil(int64(e.Duration), e.Rate, int64(e.TimeUnit))
}

func (e *ConstantArrivalRate) start() iterationSource {
	return newArrivalSource(&constantArrivals{rate: e.Rate, timeUnit: e.TimeUnit, duration: e.Duration}, e.Pool)
}

func (e *ConstantArrivalRate) openModel() {}

// RampingArrivalRate varies the arrival rate from StartRate along Stages, in
// iterations per TimeUnit (k6's ramping-arrival-rate, an open model).
type RampingArrivalRate struct {
	StartRate int64
	Stages    []Stage
	TimeUnit  time.Duration
	Pool      VUPool
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
	return fmt.Sprintf("ramping-arrival-rate, %d → %s at most, %s over %s, %s",
		e.StartRate, formatRate(top, e.TimeUnit), plural(len(e.Stages), "stage"),
		FormatDuration(e.PlannedDuration()), e.Pool.describe())
}

func (e *RampingArrivalRate) timeline() []string {
	return stagesTimeline(e.StartRate, e.Stages, "iterations"+rateUnit(e.TimeUnit))
}

func (e *RampingArrivalRate) start() iterationSource {
	return newArrivalSource(newRampingArrivals(e.StartRate, e.Stages, e.TimeUnit), e.Pool)
}

func (e *RampingArrivalRate) openModel() {}

// openModel marks the arrival-rate executors: their VUs run vuInit as soon as they
// are created (before the test starts for the pre-allocated ones), then join the
// pool, so that vuInit never delays an iteration.
type openModel interface{ openModel() }

// pool is the iteration source of an open-model group.
type pool interface{ join(vu int) }

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
	sched arrivalSchedule
	pool  VUPool
	free  chan int // capacity pool.Max: each VU is in it at most once
	work  []chan work
}

func newArrivalSource(s arrivalSchedule, pool VUPool) *arrivalSource {
	a := &arrivalSource{sched: s, pool: pool, free: make(chan int, pool.Max), work: make([]chan work, pool.Max)}
	for i := range a.work {
		a.work[i] = make(chan work, 1)
	}
	return a
}

// join adds VU vu, initialised, to the pool.
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

func (a *arrivalSource) drive(t *Test, gr *groupRun) {
	defer func() {
		for _, c := range a.work {
			close(c)
		}
	}()
	tm := t.newStartTimer()
	defer tm.close()
	vus := a.pool.PreAllocated
	var started int64
	for {
		at, ok := a.sched.next()
		if !ok {
			return
		}
		planned := gr.begin.Add(at)
		if !tm.sleepUntil(gr.stopCtx, planned) {
			return
		}
		select {
		case vu := <-a.free:
			a.work[vu] <- work{inGroup: started, planned: planned}
			started++
			continue
		default:
		}
		t.sysSink.Add(t.Metrics.Builtins().DroppedIterations, gr.tags, 1)
		if vus < a.pool.Max {
			t.launch.startVU(gr, int(vus), false)
			vus++
		} else {
			t.warn(fmt.Sprintf("group %q: all %d VUs were busy when an iteration was due: iterations are dropped and counted in dropped_iterations; raise maxVUs or lower the rate",
				gr.Name, a.pool.Max))
		}
	}
}
