package main

import (
	"container/heap"
	"context"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// delayer answers /delay requests on time. Go's timers wake the runtime's
// poller with millisecond timeouts, so a 100 ms timer fires 0.4–1 ms late on
// average here, and that lateness would count against the client in the
// scheduling-precision figure. The delayer waits on one timerfd instead, whose
// expiry the kernel signals with high-resolution timers through the same poller
// (no thread blocked, no spinning): the requests due are released together, and
// the timer is armed again for the next one.
type delayer struct {
	mu    sync.Mutex
	queue dueQueue
	armed time.Time // when the timer fires; zero when disarmed
	fd    int
	file  *os.File
}

func newDelayer() (*delayer, error) {
	const clockMonotonic, tfdNonblock, tfdCloexec = 1, syscall.O_NONBLOCK, syscall.O_CLOEXEC
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, tfdNonblock|tfdCloexec, 0)
	if errno != 0 {
		return nil, os.NewSyscallError("timerfd_create", errno)
	}
	d := &delayer{fd: int(fd), file: os.NewFile(fd, "timerfd")} // non-blocking: read through the poller
	go d.run()
	return d, nil
}

// wait returns at due, or when ctx ends.
func (d *delayer) wait(ctx context.Context, due time.Time) {
	w := &dueWaiter{due: due, ch: make(chan struct{})}
	d.mu.Lock()
	heap.Push(&d.queue, w)
	if d.armed.IsZero() || due.Before(d.armed) {
		d.arm(due)
	}
	d.mu.Unlock()
	select {
	case <-w.ch:
	case <-ctx.Done():
	}
}

// arm sets the timer to fire at due. Called with d.mu held.
func (d *delayer) arm(due time.Time) {
	d.armed = due
	ns := max(time.Until(due), time.Microsecond).Nanoseconds()
	spec := [4]int64{0, 0, ns / 1e9, ns % 1e9} // it_interval, it_value
	_, _, _ = syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, uintptr(d.fd), 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
}

// run releases the requests that are due each time the timer fires.
func (d *delayer) run() {
	var buf [8]byte
	for {
		if _, err := d.file.Read(buf[:]); err != nil {
			return
		}
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
