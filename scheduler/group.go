package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// groupRun is one group during one run: its VUs, its executor's execution and its
// two stop contexts.
type groupRun struct {
	*Group
	exec    *execution
	firstID int64             // vu.id of the group's first VU in the whole test
	env     map[string]string // the command line's -e pairs with the group's env over them
	tags    metrics.Tags      // tags of the samples the scheduler records for the group
	extra   metrics.Tags      // the group's own tags (options.groups.<name>.tags)
	eager   bool              // VUs run vuInit when they join the free VUs, not at their first iteration (exec.join is set)
	running *atomic.Int64     // VUs of the group not waiting for work
	begin   time.Time         // the group's start: the test's start plus its startTime
	run     *runState         // what its VUs read of it (k6/execution)
	stopCtx context.Context   // done: this group starts no more iterations
	hardCtx context.Context   // done: this group's running iterations are interrupted
	cancel  func()
}

// launcher starts and owns the goroutines of a run: one per VU (which creates,
// runs and closes that VU) and one per driver. Its WaitGroup is waited for by
// runGroups; a driver may start a VU while it runs, which keeps the count above 0.
type launcher struct {
	t        *Test
	wg       sync.WaitGroup
	begin    chan struct{} // closed when the groups start
	ready    sync.WaitGroup
	readyN   atomic.Int64
	errOnce  sync.Once
	initErr  error
	progress io.Writer // where to report a slow initialisation, or nil
}

// runGroups initialises the VUs every group starts with, in parallel, each on its
// own goroutine, then starts the groups together and waits for all VUs to end.
func (t *Test) runGroups() error {
	l := &launcher{t: t, begin: make(chan struct{}), progress: t.initProgress}
	t.launch = l
	runs := make([]*groupRun, len(t.Plan.Groups))
	firstID := int64(1)
	var total int64
	whole := t.Plan.Whole() // VU ids count the VUs of the whole test
	for i, g := range t.Plan.Groups {
		gr := &groupRun{Group: g, exec: g.Executor.start(), firstID: firstID, env: t.groupEnv(g),
			extra: metrics.TagsFromMap(g.Tags), running: t.running[g.Name]}
		gr.tags = t.shared.Tags.Merge(gr.extra).With("group", g.Name)
		gr.run = &runState{t: t, gr: gr}
		gr.eager = gr.exec.join != nil
		runs[i] = gr
		firstID += whole.Groups[i].Executor.MaxVUs()
		total += g.Executor.InitVUs()
	}
	l.ready.Add(int(total))
	endBoost := boostGC()
	initStart := time.Now()
	for _, gr := range runs {
		for i := range gr.Executor.InitVUs() {
			l.startVU(gr, int(i), true)
		}
	}
	err := l.waitReady(initStart, total)
	endBoost()
	if err != nil {
		t.Abort(err)
		l.wg.Wait()
		if errors.Is(t.Aborted(), err) {
			return err
		}
		return nil // aborted while initialising: the run ends with the abort's cause
	}
	start, err := t.startTogether()
	if err != nil {
		t.Abort(err)
		l.wg.Wait()
		return nil // the run ends with the abort's cause
	}
	t.firstStart = start
	t.started.Store(t.firstStart.UnixNano())
	for _, gr := range runs {
		t.armGroup(gr)
		defer gr.cancel()
		if gr.exec.drive != nil {
			env := l.newDriveEnv(gr)
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				gr.exec.drive(env)
			}()
		}
	}
	close(l.begin)
	l.wg.Wait()
	return nil
}

// startVU starts VU number idx (0-based) of gr on a goroutine of its own, which
// creates it, runs it and closes it. A VU of an arrival-rate group also runs
// vuInit there and joins the group's pool. A pre-allocated VU then reports to
// l.ready and waits for the groups to start; one started on demand runs at once.
func (l *launcher) startVU(gr *groupRun, idx int, preAllocated bool) {
	t := l.t
	k := gr.vus.nth(int64(idx)) // the VU's index in the whole test's group
	info := &bindings.VUInfo{ID: gr.firstID + k, IDInGroup: k + 1, Group: gr.Name, Env: gr.env, Tags: gr.extra, Run: gr.run}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		vu, err := t.newVU(gr, info)
		if err != nil && preAllocated {
			l.errOnce.Do(func() { l.initErr = err })
		} else if err != nil && t.abortCtx.Err() == nil {
			t.Errors.Add(fmt.Sprintf("VU %d, initialisation (group %q cannot grow)", info.ID, gr.Name), err)
		}
		var joined bool
		if vu != nil && gr.eager {
			ctx := t.abortCtx
			if !preAllocated {
				ctx = gr.hardCtx
			}
			if joined = t.vuInit(ctx, gr, vu); joined {
				gr.exec.join(idx)
			}
		}
		if preAllocated {
			l.readyN.Add(1)
			l.ready.Done()
		}
		if vu == nil {
			return
		}
		defer vu.Close()
		if gr.eager {
			defer t.vuEnd(gr, vu)
			if !joined {
				return
			}
		}
		if preAllocated {
			select {
			case <-l.begin:
			case <-t.abortCtx.Done():
				return
			}
		}
		t.runVU(gr, idx, vu)
	}()
}

// newDriveEnv returns what the driver of gr may use of the test: gr's clock and stop,
// the dropped_iterations counter, the launcher to grow gr, and the warning log.
func (l *launcher) newDriveEnv(gr *groupRun) *driveEnv {
	t := l.t
	dropped := t.Metrics.Builtins().DroppedIterations
	return &driveEnv{
		group:    gr.Name,
		begin:    gr.begin,
		stop:     gr.stopCtx,
		newTimer: t.newStartTimer,
		dropped:  func() { t.sysSink.Add(dropped, gr.tags, 1) },
		startVU:  func(vu int) { l.startVU(gr, vu, false) },
		warn:     t.warn,
	}
}

// newVU builds a VU with its dictionary and data rows. It returns nil and no error
// when a per-vu data table has no row left for it (the VU does not run).
func (t *Test) newVU(gr *groupRun, info *bindings.VUInfo) (*jsruntime.VU, error) {
	store, feed, err := t.newStore(vuIdentity{info.ID, info.IDInGroup, info.Group})
	var ex *dict.ExhaustedError
	if errors.As(err, &ex) {
		t.exhausted(ex)
		return nil, nil
	}
	var vu *jsruntime.VU
	if err == nil {
		vu, err = jsruntime.NewVU(t.abortCtx, t.shared, info, store)
	}
	if err != nil {
		return nil, fmt.Errorf("initialise VU %d: %w", info.ID, err)
	}
	t.stats.initialised.Add(1)
	vu.Feed = feed
	// Resolve the group's exports once now, off the iterations' path (reading an ES
	// module export runs a getter).
	for _, name := range []string{gr.Exec, gr.VUInit, gr.VUEnd} {
		vu.Func(name)
	}
	return vu, nil
}

// waitReady waits until the pre-allocated VUs, whose initialisation started at
// begin, are initialised; when that takes more than a second it reports progress
// once a second (and the time it took under --debug). It returns the first
// initialisation error.
func (l *launcher) waitReady(begin time.Time, total int64) error {
	done := make(chan struct{})
	go func() {
		l.ready.Wait()
		close(done)
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	reported := false
	for {
		select {
		case <-done:
			took := time.Since(begin).Round(time.Millisecond)
			if reported {
				fmt.Fprintf(l.progress, "initialised %d VUs in %s\n", total, took)
			} else if l.t.cfg.Debug && l.t.cfg.Log != nil {
				fmt.Fprintf(l.t.cfg.Log, "DEBUG initialised %d VUs in %s\n", total, took)
			}
			return l.initErr
		case <-tick.C:
			if l.progress != nil {
				reported = true
				fmt.Fprintf(l.progress, "initialising VUs: %d/%d ready\n", l.readyN.Load(), total)
			}
		}
	}
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

// armGroup sets up the group's clock and stop contexts: iterations stop being
// started at the test's graceful stop or at the end of the group's duration, and
// running ones are interrupted gracefulStop later (or at once on abort).
func (t *Test) armGroup(gr *groupRun) {
	gr.begin = t.firstStart.Add(gr.StartTime)
	gr.run.start.Store(gr.begin.UnixNano())
	stopCtx, stop := context.WithCancelCause(t.stopCtx)
	hardCtx, hard := context.WithCancelCause(t.abortCtx)
	var timers []*time.Timer
	if d := gr.Executor.PlannedDuration(); d > 0 {
		timers = append(timers, time.AfterFunc(time.Until(gr.begin.Add(d)), func() { stop(ErrDurationReached) }))
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
