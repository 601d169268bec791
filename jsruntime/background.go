package jsruntime

import (
	"context"
	"errors"
	"fmt"
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
//	running  --stopped now-->      canceled  (stopImmediately, stop timeout, VU end)
//	running  --exception-->        faulted
const (
	statusCreated int32 = iota
	statusRunning
	statusCompleted
	statusCanceled
	statusFaulted
)

var statusNames = [...]string{"created", "running", "completed", "canceled", "faulted"}

// Causes of a background script's interruption.
var (
	ErrStoppedImmediately = errors.New("background script stopped immediately")
	ErrStopTimeout        = errors.New("background script did not stop within its stopTimeout after a stop request")
	ErrVUEnded            = errors.New("the VU ended")
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
	status  atomic.Int32
	stopReq atomic.Bool
	stopCh  chan struct{} // closed by the first stop request
	done    chan struct{} // closed when the script has finished (or was canceled unstarted)

	mu      sync.Mutex
	errMsg  string
	reqOnce sync.Once
}

// bgRegistry holds the background scripts of one VU and implements
// bindings.Background. It owns their goroutines: close waits for all of them.
type bgRegistry struct {
	vu *VU

	mu         sync.Mutex
	scripts    map[string]*bgScript
	iterScoped []*bgScript
	closed     bool
	wg         sync.WaitGroup
}

func (g *bgRegistry) lookup(id string) (*bgScript, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.scripts[id]
	if !ok {
		return nil, fmt.Errorf("no background script %q in this VU: create it first with createBackgroundScript", id)
	}
	return s, nil
}

// Create implements bindings.Background.
func (g *bgRegistry) Create(caller bindings.Host, id string, spec bindings.ScriptSpec, opts bindings.BackgroundOptions) error {
	if id == "" {
		return errors.New("the id must not be empty")
	}
	creator := caller.(*scriptRuntime)
	if spec.File != "" {
		// Compile (once per run) now, so a bad path or syntax error is reported to
		// the creating script.
		if _, err := creator.prog.module(spec.File, nil); err != nil {
			return err
		}
	}
	s := &bgScript{id: id, reg: g, spec: spec, opts: opts, prog: creator.prog, stopCh: make(chan struct{}), done: make(chan struct{})}
	switch opts.Dictionary {
	case bindings.DictCopy:
		s.store = creator.dict.Snapshot()
	case bindings.DictOverlay:
		s.store = creator.dict.Overlay()
	default:
		s.store = creator.dict
	}
	s.ctx, s.cancel = context.WithCancelCause(g.vu.baseCtx)
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		s.cancel(ErrVUEnded)
		return errors.New("the VU has ended")
	}
	if old, ok := g.scripts[id]; ok && old.status.Load() <= statusRunning {
		g.mu.Unlock()
		s.cancel(nil)
		return fmt.Errorf("a background script with id %q is still %s: stop it or use another id", id, statusNames[old.status.Load()])
	}
	if g.scripts == nil {
		g.scripts = map[string]*bgScript{}
	}
	g.scripts[id] = s
	if opts.Stop == bindings.StopIteration {
		g.iterScoped = append(g.iterScoped, s)
	}
	g.mu.Unlock()
	if opts.Stop == bindings.StopScript {
		creator.scoped = append(creator.scoped, s)
	}
	if !opts.JustCreate {
		return s.start()
	}
	return nil
}

// Start implements bindings.Background.
func (g *bgRegistry) Start(id string) error {
	s, err := g.lookup(id)
	if err != nil {
		return err
	}
	return s.start()
}

// RequestStop implements bindings.Background.
func (g *bgRegistry) RequestStop(id string) error {
	s, err := g.lookup(id)
	if err == nil {
		s.requestStop()
	}
	return err
}

// StopNow implements bindings.Background.
func (g *bgRegistry) StopNow(id string) error {
	s, err := g.lookup(id)
	if err == nil {
		s.stop(bindings.StopModeImmediate, ErrStoppedImmediately)
	}
	return err
}

// Wait implements bindings.Background.
func (g *bgRegistry) Wait(ctx context.Context, id string, timeout time.Duration) (bool, error) {
	s, err := g.lookup(id)
	if err != nil {
		return false, err
	}
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-s.done:
		return true, nil
	case <-expired:
		return false, nil
	case <-ctx.Done():
		return false, context.Cause(ctx)
	}
}

// Status implements bindings.Background.
func (g *bgRegistry) Status(id string) (string, error) {
	s, err := g.lookup(id)
	if err != nil {
		return "", err
	}
	return statusNames[s.status.Load()], nil
}

// Error implements bindings.Background.
func (g *bgRegistry) Error(id string) (string, error) {
	s, err := g.lookup(id)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.errMsg, nil
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
	})
}

// stop ends the script by mode and waits until it has finished: immediate cancels
// it at once; request sets its stop flag and cancels it if it is still running
// after its stopTimeout. A script never started is marked canceled.
func (s *bgScript) stop(mode string, cause error) {
	if s.status.CompareAndSwap(statusCreated, statusCanceled) {
		s.cancel(cause)
		close(s.done)
		return
	}
	if mode == bindings.StopModeImmediate {
		s.cancel(cause)
	} else {
		s.requestStop()
		t := time.AfterFunc(s.opts.StopTimeout, func() { s.cancel(ErrStopTimeout) })
		defer t.Stop()
	}
	<-s.done
}

// stopAll stops scripts concurrently, each by its own stop mode, and waits for all.
func stopAll(list []*bgScript, cause error) {
	var wg sync.WaitGroup
	for _, s := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.stop(s.opts.StopMode, cause)
		}()
	}
	wg.Wait()
}

// endIteration stops the scripts created with stop: 'iteration'.
func (g *bgRegistry) endIteration() {
	g.mu.Lock()
	list := g.iterScoped
	g.iterScoped = nil
	g.mu.Unlock()
	if len(list) > 0 {
		stopAll(list, ErrVUEnded)
	}
}

// stopEverything stops every script of the VU and waits until all have ended. By
// default each stops by its stop mode and the VU may create scripts again (a swap
// to a new generation); final stops them all at once, waits for their goroutines
// and makes later creates fail (the VU's end).
func (g *bgRegistry) stopEverything(final bool) {
	g.mu.Lock()
	if final {
		g.closed = true
	}
	list := make([]*bgScript, 0, len(g.scripts))
	for _, s := range g.scripts {
		list = append(list, s)
	}
	g.iterScoped = nil
	g.mu.Unlock()
	if !final {
		stopAll(list, ErrVUEnded)
		return
	}
	for _, s := range list {
		s.stop(bindings.StopModeImmediate, ErrVUEnded)
	}
	g.wg.Wait()
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
	case s.ctx.Err() != nil:
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
	t := time.NewTimer(s.opts.Pause)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.stopCh:
		return false
	case <-s.ctx.Done():
		return false
	}
}

// resolve finds the function the script runs and its arguments, in runtime r.
func (s *bgScript) resolve(r *scriptRuntime) (goja.Callable, []goja.Value, error) {
	r.bind(s.ctx)
	var fn goja.Callable
	if s.spec.Exec != "" {
		exports, err := r.evaluate(r.prog.Main)
		if err != nil {
			return nil, nil, err
		}
		v, err := r.getExport(exports, s.spec.Exec)
		if err != nil {
			return nil, nil, err
		}
		var ok bool
		if fn, ok = goja.AssertFunction(v); !ok {
			return nil, nil, fmt.Errorf("the main script exports no function %q to run as background script %q", s.spec.Exec, s.id)
		}
	} else {
		m, err := r.prog.module(s.spec.File, nil)
		if err != nil {
			return nil, nil, err
		}
		exports, err := r.evaluate(m)
		if err != nil {
			return nil, nil, err
		}
		v, err := r.getExport(exports, "default")
		if err != nil {
			return nil, nil, err
		}
		var ok bool
		if fn, ok = goja.AssertFunction(v); !ok {
			if fn, ok = goja.AssertFunction(exports); !ok {
				return nil, nil, fmt.Errorf("%s has no default export function to run as background script %q", DisplayPath(s.spec.File), s.id)
			}
		}
	}
	var args []goja.Value
	if s.opts.Args != nil {
		args = append(args, bindings.ToJS(r.rt, s.opts.Args))
	}
	return fn, args, nil
}
