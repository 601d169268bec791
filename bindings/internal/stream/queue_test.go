package stream

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeLoop stands for a runtime's event loop: reservations it hands out queue
// their callbacks, which run when the test runs the loop.
type fakeLoop struct {
	mu      sync.Mutex
	queued  []func() error
	pending int
	wake    chan struct{}
}

func newFakeLoop() *fakeLoop { return &fakeLoop{wake: make(chan struct{}, 1)} }

func (l *fakeLoop) reserve() func(cb func() error) {
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
	return func(cb func() error) {
		l.mu.Lock()
		l.queued = append(l.queued, func() error {
			l.mu.Lock()
			l.pending--
			l.mu.Unlock()
			return cb()
		})
		l.mu.Unlock()
		signal(l.wake)
	}
}

// run runs callbacks until nothing is pending, as the runtime's loop does.
func (l *fakeLoop) run(t *testing.T) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		l.mu.Lock()
		q := l.queued
		l.queued = nil
		pending := l.pending
		l.mu.Unlock()
		for _, cb := range q {
			if err := cb(); err != nil {
				t.Fatal(err)
			}
		}
		if len(q) > 0 {
			continue
		}
		if pending == 0 {
			return
		}
		select {
		case <-l.wake:
		case <-deadline:
			t.Fatal("the loop still has a reservation pending")
		}
	}
}

func TestDeliveredInOrderThenReleased(t *testing.T) {
	t.Parallel()
	q, l := New[int](4), newFakeLoop()
	var got []int
	q.Attach(l.reserve, func(it *int) error { got = append(got, *it); return nil })
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 10 { // more than the bound: Push waits for deliveries
			q.Push(i)
		}
		q.Finish(10)
	}()
	l.run(t)
	<-done
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	if !q.Ended() {
		t.Error("not Ended after everything was delivered")
	}
}

func TestNextTakesFirstAndReleases(t *testing.T) {
	t.Parallel()
	q, l := New[string](4), newFakeLoop()
	var delivered []string
	q.Attach(l.reserve, func(it *string) error { delivered = append(delivered, *it); return nil })
	q.Push("a")
	q.Push("b")
	ctx := context.Background()
	for _, want := range []string{"a", "b"} {
		if got, ok, err := q.Next(ctx, time.Minute); got != want || !ok || err != nil {
			t.Fatalf("Next = %q %v %v, want %q", got, ok, err, want)
		}
	}
	q.Finish()
	l.run(t) // the reservation is released though Next took every event
	if len(delivered) != 0 {
		t.Errorf("delivered %v, taken by Next already", delivered)
	}
	if _, ok, err := q.Next(ctx, time.Minute); ok || err != nil || !q.Ended() {
		t.Errorf("Next after the end = %v %v, Ended %v", ok, err, q.Ended())
	}
}

func TestNextTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	q := New[int](1)
	if _, ok, err := q.Next(context.Background(), time.Millisecond); ok || err != nil || q.Ended() {
		t.Errorf("Next on an empty queue = %v %v; Ended %v", ok, err, q.Ended())
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("stopped")
	cancel(stop)
	if _, ok, err := q.Next(ctx, 0); ok || !errors.Is(err, stop) {
		t.Errorf("Next under a cancelled context = %v %v, want the cause", ok, err)
	}
	// Queued events, even the last one, do not hide the end of the context.
	q.Push(1)
	q.Finish()
	if _, ok, err := q.Next(ctx, 0); ok || !errors.Is(err, stop) {
		t.Errorf("Next under a cancelled context with an event queued = %v %v, want the cause", ok, err)
	}
}

func TestAbandonReleasesProducer(t *testing.T) {
	t.Parallel()
	q := New[int](1)
	q.Push(1)
	pushed := make(chan bool)
	go func() { pushed <- q.Push(2) }() // the queue is full: it waits
	q.Abandon()
	if <-pushed {
		t.Error("Push into an abandoned queue reported true")
	}
	if q.Push(3) || !q.Ended() {
		t.Error("an abandoned queue takes events")
	}
	q.Finish(4) // the producer finishing late is harmless
}

// TestAbandonHoldsReservation: a delivery still queued when the consumer goes
// (its context ended) delivers nothing and leaves a reservation held, so the
// call ends through its context instead of settling as if the stream had.
func TestAbandonHoldsReservation(t *testing.T) {
	t.Parallel()
	q, l := New[int](4), newFakeLoop()
	delivered := 0
	q.Attach(l.reserve, func(*int) error { delivered++; return nil })
	q.Push(1) // a delivery is queued
	q.Abandon()
	l.mu.Lock()
	queued := l.queued
	l.queued = nil
	l.mu.Unlock()
	for _, cb := range queued {
		if err := cb(); err != nil {
			t.Fatal(err)
		}
	}
	l.mu.Lock()
	pending := l.pending
	l.mu.Unlock()
	if delivered != 0 || pending != 1 {
		t.Errorf("after abandon: delivered %d, pending %d; want 0 and 1", delivered, pending)
	}
}
