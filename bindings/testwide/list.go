package testwide

import (
	"context"
	"slices"
	"time"

	"github.com/jsload/jsload/bindings"
)

// list is one named FIFO list. Values always leave it in the order they were
// pushed: a push never hands a value to a pop directly, it wakes the pop that has
// waited longest, which then takes the oldest value. Guarded by its shard's mutex.
//
// A woken pop has a value reserved for it until it takes one: pops that come
// later cannot take reserved values, so waiting pops are served first. A woken
// pop that gives up (timeout or stop) passes its reservation to the next waiter.
type list struct {
	items    []any
	waiters  []chan struct{} // FIFO; each is signalled at most once
	reserved int             // values set aside for woken pops, ≤ len(items)
}

// listLocked returns the list called name, creating it; sh.mu is held.
func (sh *shard) listLocked(name string) *list {
	l := sh.lists[name]
	if l == nil {
		if sh.lists == nil {
			sh.lists = map[string]*list{}
		}
		l = &list{}
		sh.lists[name] = l
	}
	return l
}

// dropLocked forgets l once it holds nothing and nobody waits on it, so lists
// with one-off names do not accumulate; sh.mu is held.
func (sh *shard) dropLocked(name string, l *list) {
	if len(l.items) == 0 && len(l.waiters) == 0 && sh.lists[name] == l {
		delete(sh.lists, name)
	}
}

// wakeLocked reserves an unreserved value for the longest waiting pop, if any.
func (l *list) wakeLocked() {
	if len(l.waiters) > 0 && len(l.items) > l.reserved {
		w := l.waiters[0]
		l.waiters[0] = nil
		l.waiters = l.waiters[1:]
		l.reserved++
		w <- struct{}{} // never blocks: buffered, signalled once
	}
}

// takeLocked removes and returns the oldest value.
func (l *list) takeLocked() any {
	v := l.items[0]
	l.items[0] = nil
	l.items = l.items[1:]
	return v
}

// Push appends v to the list called name and wakes the pop that has waited
// longest. v must be JSON-like and must not be modified afterwards.
func (s *Store) Push(name string, v any) {
	sh := s.shardFor(name)
	sh.mu.Lock()
	l := sh.listLocked(name)
	l.items = append(l.items, v)
	l.wakeLocked()
	sh.mu.Unlock()
}

// Size returns the number of values in the list called name.
func (s *Store) Size(name string) int {
	sh := s.shardFor(name)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if l := sh.lists[name]; l != nil {
		return len(l.items)
	}
	return 0
}

// Pop removes and returns the oldest value of the list called name. When the list
// is empty it blocks until a value is pushed (waiting pops are served before
// later ones), until timeout elapses (0 means no limit; ok is then false and err
// nil) or until ctx ends (err is context.Cause(ctx)). A pop that ends without a
// value takes none: every value is popped exactly once, in push order.
func (s *Store) Pop(ctx context.Context, name string, timeout time.Duration) (v any, ok bool, err error) {
	sh := s.shardFor(name)
	sh.mu.Lock()
	l := sh.listLocked(name)
	if len(l.items) > l.reserved {
		v = l.takeLocked()
		sh.dropLocked(name, l)
		sh.mu.Unlock()
		return v, true, nil
	}
	ch := make(chan struct{}, 1)
	l.waiters = append(l.waiters, ch)
	sh.mu.Unlock()

	_, woken, _ := bindings.Await(ctx, ch, timeout) // a stop is read from ctx below

	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !woken {
		if i := slices.Index(l.waiters, ch); i >= 0 {
			l.waiters = slices.Delete(l.waiters, i, i+1)
		} else {
			woken = true // a push signalled just as the wait ended
		}
	}
	if woken {
		l.reserved--
		if ctx.Err() == nil {
			v = l.takeLocked() // a timeout that lost the race still takes its value
			sh.dropLocked(name, l)
			return v, true, nil
		}
		l.wakeLocked() // pass the reservation on
	}
	sh.dropLocked(name, l)
	if ctx.Err() != nil {
		return nil, false, context.Cause(ctx)
	}
	return nil, false, nil
}
