//go:build linux

package main

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"github.com/jsload/jsload/scheduler/hrtimer"
)

// delayer answers /delay requests on time. Go's timers fire 0.4–1 ms late on
// average here (see package hrtimer), and that lateness would count against the
// client in the scheduling-precision figure. The delayer waits on one
// high-resolution timer instead: the requests due are released together, and the
// timer is armed again for the next one. Where there is no such timer, requests
// wait on Go's timers.
type delayer struct {
	tm    *hrtimer.Timer // nil: Go's timers
	mu    sync.Mutex
	queue dueQueue
	armed time.Time // when tm fires; zero when disarmed
}

func newDelayer() *delayer {
	d := &delayer{}
	if tm, err := hrtimer.New(); err == nil {
		d.tm = tm
		go d.run()
	}
	return d
}

// wait returns at due, or when ctx ends.
func (d *delayer) wait(ctx context.Context, due time.Time) {
	ch := make(chan struct{})
	if d.tm == nil {
		t := time.AfterFunc(time.Until(due), func() { close(ch) })
		defer t.Stop()
	} else {
		d.mu.Lock()
		heap.Push(&d.queue, &dueWaiter{due: due, ch: ch})
		if d.armed.IsZero() || due.Before(d.armed) {
			d.arm(due)
		}
		d.mu.Unlock()
	}
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// arm sets the timer to fire at due. Called with d.mu held.
func (d *delayer) arm(due time.Time) {
	d.armed = due
	_ = d.tm.Arm(time.Until(due))
}

// run releases the requests that are due each time the timer fires.
func (d *delayer) run() {
	for d.tm.Wait(context.Background(), time.Time{}) == nil {
		d.mu.Lock()
		now := time.Now()
		for d.queue.Len() > 0 && !d.queue[0].due.After(now) {
			close(heap.Pop(&d.queue).(*dueWaiter).ch)
		}
		d.armed = time.Time{}
		if d.queue.Len() > 0 {
			d.arm(d.queue[0].due)
		}
		d.mu.Unlock()
	}
}

type dueWaiter struct {
	due time.Time
	ch  chan struct{}
}

// dueQueue is a min-heap of waiters by due time.
type dueQueue []*dueWaiter

func (q dueQueue) Len() int           { return len(q) }
func (q dueQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q dueQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *dueQueue) Push(x any)        { *q = append(*q, x.(*dueWaiter)) }
func (q *dueQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return w
}
