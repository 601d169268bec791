package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
)

// Background script statuses. Transitions:
//
//	created  --start-->            running
//	created  --stop (any)-->       canceled
//	running  --function returns--> completed (also a loop ended by a stop request)
//	running  --stopped now-->      canceled  (stopImmediately, stop timeout, a stop scope's end)
//	running  --stop request-->     canceled  when it waits then (a sleep only ends early)
//	running  --exception-->        faulted
const (
	statusCreated int32 = iota
	statusRunning
	statusCompleted
	statusCanceled
	statusFaulted
)

var statusNames = [...]string{"created", "running", "completed", "canceled", "faulted"}

// Stops. A script stops when asked (requestToStopBackgroundScript sets its flag;
// stopBackgroundScriptImmediately cancels it with errStoppedNow) or, without
// being asked, when its stop scope ends. Each trigger below stops the scripts it
// concerns by their stop mode (bindings.StopMode): a request, then a cancel with
// errStopTimeout wrapping the trigger's cause after stopTimeout; or a cancel with
// the cause at once.
//
//	scope (stop option)   trigger                            cause               call site
//	script                the creating function returns      errCreatorReturned  scriptRuntime.call → stopAll
//	iteration             the VU's iteration ends            errIterationEnded   VU.Iterate → bgRegistry.endIteration
//	vu, created by vuInit the iteration after vuInit ends,   errBrowserClosed    VU.EndBrowser (browser.go)
//	                      in a group with a new browser
//	                      each iteration
//	every scope           the VU ends (before vuEnd)         errVUEnded          VU.StopBackground → bgRegistry.stopEverything
//	every scope           the VU moves to a new generation   errReloaded         VU.swap → bgRegistry.stopEverything
//	every scope, at once  the VU is closed                   errVUEnded          VU.Close → bgRegistry.closeAll
//
// So 'vu' and 'never' differ in one trigger: the end of vuInit's browser halts
// vuInit's 'vu' scripts, not its 'never' ones; and no script outlives its VU.
var (
	errStoppedNow      = errors.New("background script stopped immediately")
	errStopTimeout     = errors.New("background script did not stop within its stopTimeout after a stop request")
	errCreatorReturned = errors.New("the function that created the background script returned")
	errIterationEnded  = errors.New("the VU's iteration ended")
	errVUEnded         = errors.New("the VU ended")
	errReloaded        = errors.New("the VU moved to a new generation of the script")
)

// bgScript is one background script: a runtime of its own on a goroutine of its own,
// started on demand. Its fields after creation are read-only except the atomics and
// errMsg, which mu guards.
type bgScript struct {
	id      string
	reg     *bgRegistry
	spec    bindings.ScriptSpec
	opts    bindings.BackgroundOptions
	prog    *Program // the generation of its creator
	store   *dict.Store
	ctx     context.Context
	cancel  context.CancelCauseFunc
	waitCtx context.Context // ctx, also done at the first stop request: see bindings.Host.WaitContext
	endWait context.CancelCauseFunc
	status  atomic.Int32
	stopReq atomic.Bool
	stopCh  chan struct{} // closed by the first stop request
	done    chan struct{} // closed when the script has finished (or was canceled unstarted)

	mu      sync.Mutex
	errMsg  string
	reqOnce sync.Once
}

// start launches the script's goroutine. The status moves from created exactly
// once, to running here or to canceled in stop, so at most one of them closes done.
func (s *bgScript) start() error {
	if !s.status.CompareAndSwap(statusCreated, statusRunning) {
		return fmt.Errorf("background script %q was already started (status %s)", s.id, statusNames[s.status.Load()])
	}
	s.reg.wg.Add(1)
	go s.run()
	return nil
}

func (s *bgScript) requestStop() {
	s.reqOnce.Do(func() {
		s.stopReq.Store(true)
		close(s.stopCh)
		s.endWait(bindings.ErrStopRequested)
	})
}

// stop ends the script by mode and waits until it has finished: immediately
// cancels it at once with cause; by request sets its stop flag and cancels it if
// it is still running after its stopTimeout. A script never started is marked
// canceled.
func (s *bgScript) stop(mode bindings.StopMode, cause error) {
	if s.status.CompareAndSwap(statusCreated, statusCanceled) {
		s.cancel(cause)
		close(s.done)
		return
	}
	if mode == bindings.StopImmediately {
		s.cancel(cause)
	} else {
		s.requestStop()
		t := time.AfterFunc(s.opts.StopTimeout, func() { s.cancel(fmt.Errorf("%w (%w)", errStopTimeout, cause)) })
		defer t.Stop()
	}
	<-s.done
}

// stopAll stops scripts concurrently, each by its own stop mode, and waits for all.
func stopAll(list []*bgScript, cause error) {
	var wg sync.WaitGroup
	for _, s := range list {
		wg.Go(func() { s.stop(s.opts.StopMode, cause) })
	}
	wg.Wait()
}

// run is the script's goroutine: it builds the runtime, runs the function (in a
// loop if asked) and records how it ended.
func (s *bgScript) run() {
	vu := s.reg.vu
	defer s.reg.wg.Done()
	defer close(s.done)
	defer s.cancel(nil)
	r := newRuntime(vu, s.prog, s.id, s.store)
	r.bg = s
	defer r.close()
	fn, args, err := s.resolve(r)
	for err == nil {
		_, err = r.call(s.ctx, fn, args...)
		if err != nil || !s.opts.Loop || s.stopReq.Load() {
			break
		}
		if !s.pause() {
			break
		}
	}
	final := statusCompleted
	switch {
	case s.ctx.Err() != nil, errors.Is(err, bindings.ErrStopRequested): // a wait ended by a stop request
		final = statusCanceled
	case err != nil:
		final = statusFaulted
		s.mu.Lock()
		s.errMsg = err.Error()
		s.mu.Unlock()
		vu.test.reportError(fmt.Sprintf("VU %d, background script %q", vu.Info.ID, s.id), err)
	}
	s.status.Store(final)
	vu.sink.Add(vu.test.Metrics.Builtins().BackgroundScripts, r.tags.With("status", statusNames[final]), 1)
}

// pause waits between loops; false when the script was stopped meanwhile.
func (s *bgScript) pause() bool {
	if s.opts.Pause <= 0 {
		return s.ctx.Err() == nil
	}
	_, stopped, err := bindings.Await(s.ctx, s.stopCh, s.opts.Pause)
	return !stopped && err == nil
}

// resolve finds the function the script runs and its arguments, in runtime r.
func (s *bgScript) resolve(r *scriptRuntime) (goja.Callable, []goja.Value, error) {
	r.bind(s.ctx)
	var fn goja.Callable
	var err error
	if s.spec.Exec != "" {
		fn, err = s.execFunc(r)
	} else {
		fn, err = s.fileFunc(r)
	}
	if err != nil {
		return nil, nil, err
	}
	var args []goja.Value
	if s.opts.Args != nil {
		args = append(args, bindings.ToJS(r.rt, s.opts.Args))
	}
	return fn, args, nil
}

// checkSpec checks, when a script is created, what it will run: it compiles its
// file (once per run), so a bad path or a syntax error is reported to the
// creating script, or checks that the main script exports the function it names
// (as seen when the program's main script was first evaluated).
func (p *Program) checkSpec(spec bindings.ScriptSpec) error {
	if spec.File != "" {
		_, err := p.module(spec.File, nil)
		return err
	}
	known := p.mainFuncs.Load()
	if known == nil {
		return nil // checked when the script starts (execFunc)
	}
	if !slices.Contains(*known, spec.Exec) {
		funcs := "none"
		if len(*known) > 0 {
			funcs = strings.Join(*known, ", ")
		}
		return fmt.Errorf("{ exec: %q }: the main script exports no function %q (its exported functions: %s)", spec.Exec, spec.Exec, funcs)
	}
	return nil
}

// execFunc is the export spec.Exec of the main script, evaluated in r.
func (s *bgScript) execFunc(r *scriptRuntime) (goja.Callable, error) {
	exports, err := r.evaluate(r.prog.Main)
	if err != nil {
		return nil, err
	}
	v, err := r.getExport(exports, s.spec.Exec)
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("the main script exports no function %q to run as background script %q", s.spec.Exec, s.id)
	}
	return fn, nil
}

// fileFunc is the default export of spec.File (or the module itself when it
// exports a function), evaluated in r.
func (s *bgScript) fileFunc(r *scriptRuntime) (goja.Callable, error) {
	m, err := r.prog.module(s.spec.File, nil)
	if err != nil {
		return nil, err
	}
	exports, err := r.evaluate(m)
	if err != nil {
		return nil, err
	}
	v, err := r.getExport(exports, "default")
	if err != nil {
		return nil, err
	}
	if fn, ok := goja.AssertFunction(v); ok {
		return fn, nil
	}
	if fn, ok := goja.AssertFunction(exports); ok {
		return fn, nil
	}
	return nil, fmt.Errorf("%s has no default export function to run as background script %q", DisplayPath(s.spec.File), s.id)
}
