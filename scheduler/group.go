package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// groupRun is one group during one run: its VUs, its iteration source and its two
// stop contexts.
type groupRun struct {
	*Group
	src     iterationSource
	stopCtx context.Context // done: this group starts no more iterations
	hardCtx context.Context // done: this group's running iterations are interrupted
	cancel  func()
}

// runGroups initialises every VU of every group in parallel, each on its own
// goroutine, then starts the groups together and waits for all VUs to end.
func (t *Test) runGroups() error {
	var (
		wg      sync.WaitGroup
		ready   sync.WaitGroup
		initErr error
		errOnce sync.Once
	)
	begin := make(chan struct{})
	var firstID int64 = 1
	runs := make([]*groupRun, len(t.Plan.Groups))
	for gi, g := range t.Plan.Groups {
		gr := &groupRun{Group: g, src: g.Executor.start()}
		runs[gi] = gr
		n := g.Executor.MaxVUs()
		for i := int64(0); i < n; i++ {
			info := &bindings.VUInfo{ID: firstID + i, IDInGroup: i + 1, Group: g.Name, Env: t.groupEnv(g)}
			wg.Add(1)
			ready.Add(1)
			go func(idx int) {
				defer wg.Done()
				store, feed, err := t.newStore(vuIdentity{info.ID, info.IDInGroup, info.Group})
				var ex *dict.ExhaustedError
				if errors.As(err, &ex) { // no row left for this VU: it does not run
					t.exhausted(err)
					ready.Done()
					return
				}
				var vu *jsruntime.VU
				if err == nil {
					vu, err = jsruntime.NewVU(t.abortCtx, t.shared, info, store)
				}
				if err != nil {
					errOnce.Do(func() { initErr = fmt.Errorf("initialise VU %d: %w", info.ID, err) })
					ready.Done()
					return
				}
				defer vu.Close()
				ready.Done()
				select {
				case <-begin:
				case <-t.abortCtx.Done():
					return
				}
				t.runVU(gr, idx, &vuRun{VU: vu, feed: feed})
			}(int(i))
		}
		firstID += n
	}
	ready.Wait()
	if initErr != nil {
		t.Abort(initErr)
		wg.Wait()
		return initErr
	}
	t.firstStart = time.Now()
	for _, gr := range runs {
		t.armGroup(gr)
		defer gr.cancel()
	}
	close(begin)
	wg.Wait()
	return nil
}

// groupEnv merges the group's env over the command line's.
func (t *Test) groupEnv(g *Group) map[string]string {
	if len(g.Env) == 0 {
		return t.cfg.Env
	}
	env := make(map[string]string, len(t.cfg.Env)+len(g.Env))
	for k, v := range t.cfg.Env {
		env[k] = v
	}
	for k, v := range g.Env {
		env[k] = v
	}
	return env
}

// armGroup sets up the group's stop contexts: iterations stop being started at the
// test's graceful stop or at the end of the group's duration, and running ones are
// interrupted gracefulStop later (or at once on abort).
func (t *Test) armGroup(gr *groupRun) {
	stopCtx, stop := context.WithCancelCause(t.stopCtx)
	hardCtx, hard := context.WithCancelCause(t.abortCtx)
	var timers []*time.Timer
	if d := gr.Executor.PlannedDuration(); d > 0 {
		timers = append(timers, time.AfterFunc(gr.StartTime+d, func() { stop(ErrDurationReached) }))
	}
	var mu sync.Mutex
	stopAfter := context.AfterFunc(stopCtx, func() {
		mu.Lock()
		defer mu.Unlock()
		timers = append(timers, time.AfterFunc(gr.GracefulStop, func() { hard(ErrGracefulStopExpired) }))
	})
	gr.stopCtx, gr.hardCtx = stopCtx, hardCtx
	gr.cancel = func() {
		stopAfter()
		mu.Lock()
		for _, tm := range timers {
			tm.Stop()
		}
		mu.Unlock()
		stop(nil)
		hard(nil)
	}
}

// vuRun is a VU during its group's run.
type vuRun struct {
	*jsruntime.VU
	feed *dict.Feed // nil without data bindings
}

// runVU is the life of one VU once its group has started: vuInit before the first
// iteration, iterations while the executor hands them out, vuEnd at the end.
func (t *Test) runVU(gr *groupRun, idx int, vu *vuRun) {
	t.stats.active.Add(1)
	defer t.stats.active.Add(-1)
	if gr.StartTime > 0 {
		tm := time.NewTimer(gr.StartTime)
		select {
		case <-tm.C:
		case <-gr.stopCtx.Done():
			tm.Stop()
			return
		}
	}
	var done int64
	inited := false
	for {
		it, ok := gr.src.next(gr.stopCtx, idx, done)
		if !ok {
			break
		}
		if !inited {
			inited = true
			if err := vu.Run(gr.hardCtx, jsruntime.FuncVUInit); err != nil {
				if gr.hardCtx.Err() == nil {
					t.Errors.Add(fmt.Sprintf("VU %d, vuInit() (the VU runs no iterations)", vu.Info.ID), err)
				}
				break
			}
		}
		if !t.startIteration(vu, done) {
			break
		}
		begin := time.Now()
		err := vu.Iterate(gr.hardCtx, gr.Exec, done, it)
		t.record(vu, time.Since(begin), t.classify(gr, vu.VU, err))
		done++
		if gr.hardCtx.Err() != nil {
			break
		}
	}
	if inited {
		vu.StopBackground() // background scripts end (by their stop mode) before vuEnd
		ctx, cancel := context.WithTimeout(t.abortCtx, max(gr.GracefulStop, time.Second))
		if err := vu.Run(ctx, jsruntime.FuncVUEnd); err != nil && ctx.Err() == nil {
			t.Errors.Add(fmt.Sprintf("VU %d, vuEnd()", vu.Info.ID), err)
		}
		cancel()
	}
}

// startIteration updates the VU's dictionary for iteration it: the iteration key and
// the rows of its per-iteration data bindings. It reports false when the VU must
// stop because a data table ran out of rows.
func (t *Test) startIteration(vu *vuRun, it int64) bool {
	vu.Dict.Set("iteration", it)
	if vu.feed == nil {
		return true
	}
	if err := vu.feed.Iteration(vu.Dict, it); err != nil {
		return !t.exhausted(err)
	}
	return true
}

// record adds one iteration's outcome to the VU's metrics.
func (t *Test) record(vu *vuRun, d time.Duration, o outcome) {
	b := t.Metrics.Builtins()
	switch o {
	case completed:
		vu.Sink().AddSamples(vu.Tags(), metrics.Sample{Metric: b.Iterations, Value: 1},
			metrics.Sample{Metric: b.IterationDuration, Value: float64(d) / float64(time.Millisecond)})
	case failed:
		vu.Sink().Add(b.IterationsFailed, vu.Tags(), 1)
	default:
		t.stats.interrupted.Add(1)
	}
}

// outcome of one iteration.
type outcome int

const (
	completed outcome = iota
	failed
	interrupted
)

// classify sorts an iteration's error: nil completed; any error once the group's
// iterations are being interrupted is an interruption; otherwise the script failed
// (logged once per distinct message).
func (t *Test) classify(gr *groupRun, vu *jsruntime.VU, err error) outcome {
	switch {
	case err == nil:
		return completed
	case gr.hardCtx.Err() != nil:
		return interrupted
	}
	t.Errors.Add(fmt.Sprintf("VU %d, iteration %d", vu.Info.ID, vu.Info.Iteration()), err)
	return failed
}
