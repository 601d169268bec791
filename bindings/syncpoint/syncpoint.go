// Package syncpoint binds synchronisation points (README: "Background scripts"): per-VU manual-reset
// events shared by the VU's main runtime and its background scripts.
package syncpoint

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
)

// Points are the synchronisation points of one VU. A point is a manual-reset event:
// waits return at once while it is set and block while it is unset. Safe for
// concurrent use; waiters are woken by the set, never by polling.
type Points struct {
	mu     sync.Mutex
	points map[string]*point
}

type point struct {
	set     bool
	ch      chan struct{} // closed when the point is set; replaced when unset
	waiting int           // Waits blocked on ch: whether the Set that closes it wakes anyone
}

func (p *Points) get(id string) *point {
	if p.points == nil {
		p.points = map[string]*point{}
	}
	pt := p.points[id]
	if pt == nil {
		pt = &point{ch: make(chan struct{})}
		p.points[id] = pt
	}
	return pt
}

// Set sets the point id, releasing every waiter.
func (p *Points) Set(id string) {
	p.mu.Lock()
	pt := p.get(id)
	if pt.set {
		p.mu.Unlock()
		return
	}
	pt.set = true
	close(pt.ch)
	woken := pt.waiting
	pt.waiting = 0
	p.mu.Unlock()
	if woken > 0 {
		runtime.Gosched() // let a released waiter run now on this processor (see dict's handOff)
	}
}

// Unset makes later waits on id block until the next Set.
func (p *Points) Unset(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pt := p.get(id)
	if pt.set {
		pt.set = false
		pt.ch = make(chan struct{})
	}
}

// Wait returns when id is set, when timeout elapses (a *dict.TimeoutError; 0 means
// no limit) or when ctx is done (its cause).
func (p *Points) Wait(ctx context.Context, id string, timeout time.Duration) error {
	p.mu.Lock()
	pt := p.get(id)
	if pt.set {
		p.mu.Unlock()
		return nil
	}
	ch := pt.ch
	pt.waiting++
	p.mu.Unlock()
	_, set, err := bindings.Await(ctx, ch, timeout)
	if set {
		return nil
	}
	p.leave(pt, ch)
	if err != nil {
		return err
	}
	return &dict.TimeoutError{Kind: "synchronization point", Name: id, Waited: timeout}
}

// leave uncounts a Wait on ch that gave up, unless a Set has already closed ch
// (and so counted it as woken).
func (p *Points) leave(pt *point, ch chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !pt.set && pt.ch == ch {
		pt.waiting--
	}
}

type pointsKey struct{}

// For returns the synchronisation points of h's VU.
func For(h bindings.Host) *Points {
	return h.VULocal(pointsKey{}, func() any { return &Points{} }).(*Points)
}

// Exports are the synchronisation point calls.
var Exports = []bindings.Export{
	{Name: "setSynchronizationPoint", New: func(h bindings.Host) any {
		return func(id string) { For(h).Set(id) }
	}},
	{Name: "unsetSynchronizationPoint", New: func(h bindings.Host) any {
		return func(id string) { For(h).Unset(id) }
	}},
	{Name: "waitForSynchronizationPoint", New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(call goja.FunctionCall) goja.Value {
			id := call.Argument(0).String()
			timeout, err := bindings.ParseTimeout(call.Argument(1))
			if err != nil {
				bindings.Throw(rt, fmt.Errorf("waitForSynchronizationPoint(%q): %w", id, err))
			}
			ctx := h.WaitContext()
			begin := time.Now()
			err = For(h).Wait(ctx, id, timeout)
			h.Metrics().AddDuration(h.Registry().Builtins().SyncWaitDuration, h.Tags(), time.Since(begin))
			if err != nil {
				return bindings.WaitFailed(h, ctx, err)
			}
			return goja.Undefined()
		}
	}},
}
