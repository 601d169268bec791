// Package stream carries the events of a long-lived network stream (a WebSocket,
// a Server-Sent Events connection) from the goroutine that reads it to the one
// runtime that consumes them, and gives those events the EventTarget surface of
// the browser (onmessage, addEventListener).
//
// A stream's reader goroutine pushes plain Go events into a Queue; nothing it
// does touches a goja value. The runtime takes them either through its event
// loop (Attach: each batch of events re-enters the runtime as one callback, the
// way an asyncRequest settles its promise) or by blocking on Next (a script's
// receive(timeout)). Both may be used on one queue: each event is taken once, in
// order, by whichever asks first.
package stream

import (
	"context"
	"sync"
	"time"
)

// Queue is a bounded FIFO of events between one producer goroutine and one
// consuming runtime. Push, Finish and Abandon are safe from any goroutine;
// Attach, Next and the deliveries run on the runtime's goroutine.
//
// While attached, the queue holds exactly one reservation of the runtime's event
// loop (bindings.Host.Reserve) until the producer finishes and every event has
// been taken, so the call that attached it does not end before the stream has:
//
//	state                        reservation
//	attached, events to come     one armed (wake) or one delivery queued on the loop
//	finished, all taken          released by the last delivery
//	abandoned                    held for ever: the call ends through its context
//
// When the queue is full the producer waits in Push (back-pressure: a socket's
// reader stops reading) until the consumer takes events or abandons the queue.
type Queue[T any] struct {
	max int

	mu        sync.Mutex
	items     []T
	finished  bool // Finish was called: nothing more will be pushed
	abandoned bool // Abandon was called: the consumer is gone
	reserve   func() func(cb func() error)
	handle    func(*T) error        // the consumer's handler of one event
	wake      func(cb func() error) // the armed reservation; nil when none is armed

	ready chan struct{} // capacity 1: an event was pushed (for Next)
	space chan struct{} // capacity 1: events were taken (for a waiting Push)
	gone  chan struct{} // closed by Abandon
}

// New returns an empty queue that holds at most limit events (at least 1).
func New[T any](limit int) *Queue[T] {
	return &Queue[T]{max: max(limit, 1), ready: make(chan struct{}, 1), space: make(chan struct{}, 1), gone: make(chan struct{})}
}

// Attach makes the runtime's event loop deliver the queue's events: reserve is
// the runtime's bindings.Host.Reserve, handle runs on the runtime's goroutine
// with each event, in order, a batch per delivery; an error it returns fails
// the call, as an exception in a timer callback does, and drops the rest of
// its batch. Call it once, on the runtime's goroutine.
func (q *Queue[T]) Attach(reserve func() func(cb func() error), handle func(*T) error) {
	q.mu.Lock()
	q.reserve, q.handle = reserve, handle
	if q.abandoned {
		reserve() // held: see drain
		q.mu.Unlock()
		return
	}
	if q.finished && len(q.items) == 0 {
		q.mu.Unlock()
		return
	}
	q.wake = reserve()
	w := q.takeWake()
	q.mu.Unlock()
	if w != nil {
		w(q.drain)
	}
}

// takeWake returns the armed reservation when there are events to deliver, and
// disarms it; q.mu held.
func (q *Queue[T]) takeWake() func(cb func() error) {
	if len(q.items) == 0 && !q.finished {
		return nil
	}
	w := q.wake
	q.wake = nil
	return w
}

// drain is the delivery callback, on the runtime's goroutine: it takes every
// event queued, re-arms a reservation unless the producer has finished, and
// delivers them.
func (q *Queue[T]) drain() error {
	q.mu.Lock()
	if q.abandoned {
		// The consumer is gone because the call's context ended (or the call
		// itself): hold a reservation that is never handed back, so the call
		// ends through its context, as interrupted, rather than settling as
		// if the stream had finished.
		q.reserve()
		q.mu.Unlock()
		return nil
	}
	items := q.items
	q.items = nil
	if !q.finished {
		q.wake = q.reserve()
	}
	q.mu.Unlock()
	signal(q.space)
	for i := range items {
		if err := q.handle(&items[i]); err != nil {
			return err
		}
	}
	return nil
}

// Push adds an event, waiting while the queue is full. It returns false, having
// added nothing, once the consumer has abandoned the queue. Producer only.
func (q *Queue[T]) Push(item T) bool {
	q.mu.Lock()
	for len(q.items) >= q.max && !q.abandoned {
		q.mu.Unlock()
		select {
		case <-q.space:
		case <-q.gone:
		}
		q.mu.Lock()
	}
	if q.abandoned {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, item)
	w := q.takeWake()
	q.mu.Unlock()
	signal(q.ready)
	if w != nil {
		w(q.drain)
	}
	return true
}

// Finish adds the last events (whatever the queue's bound) and marks the queue
// finished: once they are taken, an attached queue releases its reservation.
// Call it once, from the producer, when the stream has ended.
func (q *Queue[T]) Finish(last ...T) {
	q.mu.Lock()
	if q.finished || q.abandoned {
		q.mu.Unlock()
		return
	}
	q.items = append(q.items, last...)
	q.finished = true
	w := q.wake // wake even with no event left: the reservation must be released
	q.wake = nil
	q.mu.Unlock()
	signal(q.ready)
	if w != nil {
		w(q.drain)
	}
}

// Abandon drops the queued events and tells the producer to stop: Push returns
// false from now on. The reservation is dropped with them: call it when the
// call that attached the queue has ended (its event loop has forgotten the
// reservation) or when the runtime is closing. Safe from any goroutine;
// idempotent.
func (q *Queue[T]) Abandon() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.abandoned {
		return
	}
	q.abandoned = true
	q.items = nil
	q.wake = nil
	close(q.gone)
}

// Next takes the next event, waiting for one until timeout elapses (≤ 0: no
// limit) or ctx ends. It reports false when there was none: the timeout elapsed,
// or the queue is finished and empty, or abandoned (Ended tells these apart); the
// error is context.Cause(ctx) when ctx ended, even with events queued: a runtime
// whose code must stop gets no more events (the connection's own close, which
// the end of ctx caused, included). Consumer only.
func (q *Queue[T]) Next(ctx context.Context, timeout time.Duration) (T, bool, error) {
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	var zero T
	for {
		if ctx.Err() != nil {
			return zero, false, context.Cause(ctx)
		}
		q.mu.Lock()
		if len(q.items) > 0 {
			it := q.items[0]
			q.items[0] = zero
			q.items = q.items[1:]
			q.mu.Unlock()
			signal(q.space)
			return it, true, nil
		}
		ended := q.finished || q.abandoned
		q.mu.Unlock()
		if ended {
			return zero, false, nil
		}
		select {
		case <-q.ready:
		case <-expired:
			return zero, false, nil
		case <-ctx.Done():
			return zero, false, context.Cause(ctx)
		}
	}
}

// Ended reports whether nothing more can be taken: the queue is finished and
// empty, or abandoned.
func (q *Queue[T]) Ended() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.abandoned || q.finished && len(q.items) == 0
}

// signal wakes one waiter on c without blocking.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
