package dict

import (
	"context"
	"slices"
	"sync/atomic"
	"time"
)

// waiter is one blocked Wait or WaitChange. It is registered in the waiter
// list of its key in every Store whose write the waiting Store can see (the
// Store itself and, for an overlay, the ancestors it reads through to). The
// first write to fire it wins; later fires are ignored.
type waiter struct {
	key   string
	regs  []*Store // where it is registered; written before it is published
	fired atomic.Bool
	ch    chan wake // capacity 1: fire never blocks
}

// wake is what a writer hands to a waiter: the new value and which Store was
// written.
type wake struct {
	v    any
	from *Store
}

// fire delivers v to the waiter unless it was already fired or abandoned.
func (w *waiter) fire(v any, from *Store) {
	if w.fired.CompareAndSwap(false, true) {
		w.ch <- wake{v: v, from: from}
	}
}

// Wait returns the value of key, blocking until some goroutine sets it if it
// has none yet. A timeout <= 0 means no timeout. When the timeout elapses it
// returns a *[TimeoutError]; when ctx is cancelled it returns
// context.Cause(ctx) at once. Wait starts no goroutine and leaves nothing
// registered behind when it returns.
func (s *Store) Wait(ctx context.Context, key string, timeout time.Duration) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	if v, ok := s.Get(key); ok {
		return v, nil
	}
	return s.block(ctx, key, timeout, true)
}

// WaitChange blocks until key is set again after the call (to any value, even
// the same one) and returns the new value. Timeout and cancellation behave as
// in [Store.Wait]. On an overlay, a write to an ancestor counts only while the
// overlay does not shadow key.
func (s *Store) WaitChange(ctx context.Context, key string, timeout time.Duration) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	return s.block(ctx, key, timeout, false)
}

// block registers a waiter and waits for a write, the timeout or ctx. When
// existing is true a value already present is returned at once.
func (s *Store) block(ctx context.Context, key string, timeout time.Duration, existing bool) (any, error) {
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	for {
		v, ok, w := s.watch(key, existing)
		if ok {
			return v, nil
		}
		var wk wake
		select {
		case wk = <-w.ch:
		case <-ctx.Done():
			if !w.abandon() { // fired meanwhile: unregister from the other levels
				w.unregister((<-w.ch).from)
			}
			return nil, context.Cause(ctx)
		case <-timer:
			if !w.abandon() {
				wk = <-w.ch // a write won the race against the timer: take it
				break
			}
			return nil, &TimeoutError{Kind: "key", Name: key, Waited: timeout}
		}
		w.unregister(wk.from)
		if v, ok := s.seen(key, wk); ok {
			return v, nil
		}
		// The ancestor's write was hidden by a remove in between: wait again.
	}
}

// watch either finds key (when existing is true) or registers a new waiter in
// s and in each ancestor s reads key through from. All those Stores are locked,
// overlay before parent (the one lock order used in the package), so no write
// can slip between the check and the registration.
func (s *Store) watch(key string, existing bool) (any, bool, *waiter) {
	var buf [4]*Store
	levels := buf[:0]
	defer func() {
		for i := len(levels) - 1; i >= 0; i-- {
			levels[i].mu.Unlock()
		}
	}()
	for cur := s; cur != nil; cur = cur.parent {
		cur.mu.Lock()
		levels = append(levels, cur)
		v, has := cur.own(key)
		if has && existing {
			return v, true, nil
		}
		if _, hid := cur.hidden[key]; has || hid {
			break // ancestors' writes of key are not visible from s
		}
	}
	w := &waiter{key: key, regs: slices.Clone(levels), ch: make(chan wake, 1)}
	for _, l := range levels {
		if l.waiters == nil {
			l.waiters = make(map[string][]*waiter)
		}
		l.waiters[key] = append(l.waiters[key], w)
	}
	return nil, false, w
}

// seen decides what a wake means for s. A write to s itself is returned as is.
// A write to an ancestor counts only if no Store between s and that ancestor
// has since shadowed the key: if one has set it, its value is the change s
// sees; if one has removed it, the write is invisible and ok is false.
func (s *Store) seen(key string, wk wake) (any, bool) {
	if v, ok, decided := s.lookup(key, wk.from); decided {
		return v, ok
	}
	return wk.v, true
}

// abandon marks the waiter as no longer waiting and removes it from every
// list. It returns false if a write fired the waiter first; the caller must
// then take the wake from w.ch.
func (w *waiter) abandon() bool {
	if !w.fired.CompareAndSwap(false, true) {
		return false
	}
	w.unregister(nil)
	return true
}

// unregister removes the waiter from the lists of every Store it was
// registered in, except from (whose write already took the whole list).
func (w *waiter) unregister(from *Store) {
	for _, r := range w.regs {
		if r == from {
			continue
		}
		r.mu.Lock()
		list := r.waiters[w.key]
		if i := slices.Index(list, w); i >= 0 {
			list[i] = list[len(list)-1]
			list[len(list)-1] = nil
			list = list[:len(list)-1]
			if len(list) == 0 {
				delete(r.waiters, w.key)
			} else {
				r.waiters[w.key] = list
			}
		}
		r.mu.Unlock()
	}
}
