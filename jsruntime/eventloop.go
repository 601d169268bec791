package jsruntime

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// errNeverSettles ends an iteration whose promise is pending with nothing left that
// could settle it (no timer, no request in flight).
var errNeverSettles = errors.New("the promise returned by the function never settles: nothing is left that could resolve it (a missing await or resolve?)")

// eventLoop runs callbacks on its runtime's goroutine. Other goroutines hand work in
// through enqueue (the only method safe to call from elsewhere); timers and the count
// of pending asynchronous operations belong to the runtime's goroutine.
//
// Work is tagged with a generation: reset (at the end of an interrupted iteration)
// starts a new one, and callbacks of the old generation are dropped when they arrive.
type eventLoop struct {
	mu    sync.Mutex
	queue []queued
	wake  chan struct{} // capacity 1: "the queue is not empty"
	gen   uint64        // guarded by mu

	// loop goroutine only:
	pending int // timers armed + asynchronous operations reserved
	timers  map[int64]*jsTimer
	nextID  int64
}

type queued struct {
	gen uint64
	fn  func() error
}

type jsTimer struct {
	t        *time.Timer
	due      time.Time // when it is next due
	fn       goja.Callable
	args     []goja.Value
	interval time.Duration // 0 for setTimeout
}

// init readies a zero eventLoop.
func (l *eventLoop) init() { l.wake = make(chan struct{}, 1) }

// enqueue schedules fn on the loop goroutine in the generation gen. Safe from any
// goroutine.
func (l *eventLoop) enqueue(gen uint64, fn func() error) {
	l.mu.Lock()
	if gen != l.gen {
		l.mu.Unlock()
		return
	}
	l.queue = append(l.queue, queued{gen: gen, fn: fn})
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// generation returns the current generation; loop goroutine only.
func (l *eventLoop) generation() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gen
}

// Reserve registers one asynchronous operation that will complete on another
// goroutine, and returns the function that hands its result back: calling it (once,
// from any goroutine) runs cb on the loop goroutine. Loop goroutine only.
func (l *eventLoop) Reserve() func(cb func() error) {
	l.pending++
	gen := l.generation()
	return func(cb func() error) {
		l.enqueue(gen, func() error {
			l.pending--
			return cb()
		})
	}
}

// run executes queued callbacks until settled reports true and nothing is pending,
// or ctx is cancelled (returning its cause), or a callback fails.
func (l *eventLoop) run(ctx context.Context, settled func() bool) error {
	for {
		for {
			l.mu.Lock()
			if len(l.queue) == 0 {
				l.mu.Unlock()
				break
			}
			q := l.queue[0]
			l.queue[0] = queued{}
			l.queue = l.queue[1:]
			l.mu.Unlock()
			if err := q.fn(); err != nil {
				return err
			}
		}
		if l.pending == 0 {
			if settled() {
				return nil
			}
			return errNeverSettles
		}
		select {
		case <-l.wake:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// reset drops every timer and queued callback and starts a new generation, so work
// still in flight from the old one is ignored when it arrives. Loop goroutine only.
func (l *eventLoop) reset() {
	for id, t := range l.timers {
		t.t.Stop()
		delete(l.timers, id)
	}
	l.pending = 0
	l.mu.Lock()
	l.gen++
	l.queue = nil
	l.mu.Unlock()
}

// setTimer arms a setTimeout (interval 0) or setInterval timer and returns its id.
func (l *eventLoop) setTimer(fn goja.Callable, delay time.Duration, interval bool, args []goja.Value) int64 {
	if l.timers == nil {
		l.timers = map[int64]*jsTimer{}
	}
	l.nextID++
	id := l.nextID
	t := &jsTimer{fn: fn, args: args}
	if interval {
		t.interval = max(delay, time.Millisecond)
	}
	l.timers[id] = t
	l.pending++
	l.arm(id, t, delay)
	return id
}

// arm sets timer id to be due in d. Its Go timer only wakes the loop: fireDue
// decides what runs.
func (l *eventLoop) arm(id int64, t *jsTimer, d time.Duration) {
	gen := l.generation()
	t.due = time.Now().Add(d)
	if t.t != nil {
		t.t.Stop() // an interval that fireDue ran before its own Go timer woke the loop
	}
	t.t = time.AfterFunc(d, func() { l.enqueue(gen, l.fireDue) })
}

// fireDue runs every timer that is due, by deadline and then by creation, as
// browsers and Node do. The Go timers behind them each wake the loop from a
// goroutine of their own, so when several come due together (a stall, a busy
// machine) their wake-ups arrive in any order: a setTimeout of 0 could run
// after a setTimeout of 20 ms set just before it.
func (l *eventLoop) fireDue() error {
	now := time.Now()
	var buf [8]int64
	due := buf[:0]
	for id, t := range l.timers {
		if !t.due.After(now) {
			due = append(due, id)
		}
	}
	slices.SortFunc(due, func(a, b int64) int {
		return cmp.Or(l.timers[a].due.Compare(l.timers[b].due), cmp.Compare(a, b))
	})
	for _, id := range due {
		if err := l.fire(id); err != nil {
			return err
		}
	}
	return nil
}

func (l *eventLoop) fire(id int64) error {
	t, ok := l.timers[id]
	if !ok {
		return nil // cleared after it was queued
	}
	if t.interval > 0 {
		l.arm(id, t, t.interval)
	} else {
		delete(l.timers, id)
		l.pending--
	}
	_, err := t.fn(goja.Undefined(), t.args...)
	return err
}

// clearTimer cancels a timer; unknown ids are ignored, as in browsers.
func (l *eventLoop) clearTimer(id int64) {
	t, ok := l.timers[id]
	if !ok {
		return
	}
	t.t.Stop()
	delete(l.timers, id)
	l.pending--
}
