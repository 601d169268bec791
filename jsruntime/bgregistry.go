package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
)

// bgRegistry holds the background scripts of one VU. It owns their goroutines:
// closeAll waits for all of them. Safe for use by every runtime of the VU.
type bgRegistry struct {
	vu *VU

	mu         sync.Mutex
	scripts    map[string]*bgScript
	iterScoped []*bgScript
	closed     bool
	wg         sync.WaitGroup
}

// creator is what a new background script takes from the runtime that creates it.
type creator struct {
	prog  *Program     // the generation it runs
	dict  *dict.Store  // the dictionary its dictionary mode starts from
	scope *[]*bgScript // where stop: 'script' lists it until the creating call returns
	init  *[]*bgScript // where stop: 'vu' lists it as vuInit's (browser.list), or nil
}

// bgControl is bindings.Background as one runtime sees it: the VU's registry,
// with that runtime as the creator of the scripts it creates. It is one pointer,
// so returning it as an interface allocates nothing.
type bgControl struct{ r *scriptRuntime }

// Create implements bindings.Background.
func (c bgControl) Create(id string, spec bindings.ScriptSpec, opts bindings.BackgroundOptions) error {
	r := c.r
	return r.vu.bg.create(creator{prog: r.prog, dict: r.dict, scope: &r.scoped, init: r.vu.browser.list(r)}, id, spec, opts)
}

// Start implements bindings.Background.
func (c bgControl) Start(id string) error { return c.r.vu.bg.start(id) }

// RequestStop implements bindings.Background.
func (c bgControl) RequestStop(id string) error { return c.r.vu.bg.requestStop(id) }

// StopNow implements bindings.Background.
func (c bgControl) StopNow(id string) error { return c.r.vu.bg.stopNow(id) }

// Wait implements bindings.Background.
func (c bgControl) Wait(ctx context.Context, id string, timeout time.Duration) (bool, error) {
	return c.r.vu.bg.wait(ctx, id, timeout)
}

// Status implements bindings.Background.
func (c bgControl) Status(id string) (string, error) { return c.r.vu.bg.status(id) }

// Error implements bindings.Background.
func (c bgControl) Error(id string) (string, error) { return c.r.vu.bg.errorOf(id) }

func (g *bgRegistry) lookup(id string) (*bgScript, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.scripts[id]
	if !ok {
		return nil, fmt.Errorf("no background script %q in this VU: create it first with createBackgroundScript", id)
	}
	return s, nil
}

// create makes script id with c as its creator and starts it unless JustCreate.
func (g *bgRegistry) create(c creator, id string, spec bindings.ScriptSpec, opts bindings.BackgroundOptions) error {
	if id == "" {
		return errors.New("the id must not be empty")
	}
	if err := c.prog.checkSpec(spec); err != nil {
		return err
	}
	s := &bgScript{id: id, reg: g, spec: spec, opts: opts, prog: c.prog, stopCh: make(chan struct{}), done: make(chan struct{})}
	switch opts.Dictionary {
	case bindings.DictCopy:
		s.store = c.dict.Copy()
	case bindings.DictOverlay:
		s.store = c.dict.Overlay()
	default:
		s.store = c.dict
	}
	s.ctx, s.cancel = context.WithCancelCause(g.vu.baseCtx)
	s.waitCtx, s.endWait = context.WithCancelCause(s.ctx)
	if err := g.add(s); err != nil {
		return err
	}
	switch {
	case opts.Stop == bindings.StopWithCreator:
		*c.scope = append(*c.scope, s)
	case opts.Stop == bindings.StopWithVU && c.init != nil:
		*c.init = append(*c.init, s)
	}
	if !opts.JustCreate {
		return s.start()
	}
	return nil
}

// add registers s under its id, unless the VU has ended or a script of that id
// still runs.
func (g *bgRegistry) add(s *bgScript) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		s.cancel(errVUEnded)
		return errors.New("the VU has ended")
	}
	if old, ok := g.scripts[s.id]; ok && old.status.Load() <= statusRunning {
		s.cancel(nil)
		return fmt.Errorf("a background script with id %q is still %s: stop it or use another id", s.id, statusNames[old.status.Load()])
	}
	if g.scripts == nil {
		g.scripts = map[string]*bgScript{}
	}
	g.scripts[s.id] = s
	if s.opts.Stop == bindings.StopWithIteration {
		g.iterScoped = append(g.iterScoped, s)
	}
	return nil
}

func (g *bgRegistry) start(id string) error {
	s, err := g.lookup(id)
	if err != nil {
		return err
	}
	return s.start()
}

func (g *bgRegistry) requestStop(id string) error {
	s, err := g.lookup(id)
	if err == nil {
		s.requestStop()
	}
	return err
}

func (g *bgRegistry) stopNow(id string) error {
	s, err := g.lookup(id)
	if err == nil {
		s.stop(bindings.StopImmediately, errStoppedNow)
	}
	return err
}

func (g *bgRegistry) wait(ctx context.Context, id string, timeout time.Duration) (bool, error) {
	s, err := g.lookup(id)
	if err != nil {
		return false, err
	}
	_, done, err := bindings.Await(ctx, s.done, timeout)
	return done, err
}

func (g *bgRegistry) status(id string) (string, error) {
	s, err := g.lookup(id)
	if err != nil {
		return "", err
	}
	return statusNames[s.status.Load()], nil
}

func (g *bgRegistry) errorOf(id string) (string, error) {
	s, err := g.lookup(id)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.errMsg, nil
}

// endIteration stops the scripts created with stop: 'iteration'.
func (g *bgRegistry) endIteration() {
	g.mu.Lock()
	list := g.iterScoped
	g.iterScoped = nil
	g.mu.Unlock()
	if len(list) > 0 {
		stopAll(list, errIterationEnded)
	}
}

// stopEverything stops every script of the VU, each by its stop mode, with cause,
// and waits until all have ended; the VU may create scripts again afterwards.
func (g *bgRegistry) stopEverything(cause error) {
	stopAll(g.takeAll(false), cause)
}

// closeAll stops every script at once, waits for their goroutines and makes
// later creates fail: the VU's end.
func (g *bgRegistry) closeAll() {
	for _, s := range g.takeAll(true) {
		s.stop(bindings.StopImmediately, errVUEnded)
	}
	g.wg.Wait()
}

// takeAll lists every script and forgets the iteration's; final closes the
// registry to new scripts.
func (g *bgRegistry) takeAll(final bool) []*bgScript {
	g.mu.Lock()
	defer g.mu.Unlock()
	if final {
		g.closed = true
	}
	list := make([]*bgScript, 0, len(g.scripts))
	for _, s := range g.scripts {
		list = append(list, s)
	}
	g.iterScoped = nil
	return list
}
