package testwide

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

const ms = time.Millisecond

var errStopped = errors.New("vu stopped")

func TestPushPopOrder(t *testing.T) {
	t.Parallel()
	var s Store
	for i := range 1000 {
		s.Push("l", int64(i))
	}
	if n := s.Size("l"); n != 1000 {
		t.Fatalf("Size after 1000 pushes: %d", n)
	}
	for i := range 1000 {
		v, ok, err := s.Pop(context.Background(), "l", 0)
		if err != nil || !ok || v != int64(i) {
			t.Fatalf("pop %d: got %v, %v, %v", i, v, ok, err)
		}
	}
	if n := s.Size("l"); n != 0 {
		t.Errorf("Size after popping all: %d", n)
	}
}

// timedPush pushes v at a time from the start; timedPop pops at a time with a
// timeout, and is stopped at cancel (0: never). popResult is what a pop got.
type (
	timedPush struct {
		at time.Duration
		v  string
	}
	timedPop  struct{ at, timeout, cancel time.Duration }
	popResult struct {
		v   any // nil: nothing (timeout or stopped)
		err error
		at  time.Duration
	}
)

// play runs the pushes and pops on list "l" of s, each on a goroutine of its own
// (inside a synctest bubble), and returns what each pop got.
func play(t *testing.T, s *Store, pushes []timedPush, pops []timedPop) []popResult {
	start := time.Now()
	var wg sync.WaitGroup
	for _, p := range pushes {
		wg.Go(func() {
			time.Sleep(p.at)
			s.Push("l", p.v)
		})
	}
	got := make([]popResult, len(pops))
	for i, p := range pops {
		wg.Go(func() {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			if p.cancel > 0 {
				defer time.AfterFunc(p.cancel, func() { cancel(errStopped) }).Stop()
			}
			time.Sleep(p.at)
			v, ok, err := s.Pop(ctx, "l", p.timeout)
			if ok != (v != nil) {
				t.Errorf("pop %d: value %v with ok %v", i, v, ok)
			}
			got[i] = popResult{v, err, time.Since(start)}
		})
	}
	wg.Wait()
	return got
}

// TestPop plays pushes and pops on a fake clock: blocking, timeouts, cancellation
// and the order in which waiting pops are served.
func TestPop(t *testing.T) {
	t.Parallel()
	type pop = timedPop
	type push = timedPush
	type want = popResult
	cases := []struct {
		name     string
		pops     []pop
		pushes   []push
		want     []want // one per pop
		wantSize int
	}{
		{"a pop waits for a push", []pop{{0, 0, 0}}, []push{{50 * ms, "a"}},
			[]want{{"a", nil, 50 * ms}}, 0},
		{"a value already there", []pop{{20 * ms, time.Second, 0}}, []push{{10 * ms, "a"}},
			[]want{{"a", nil, 20 * ms}}, 0},
		{"timeout gives nothing", []pop{{0, 100 * ms, 0}}, nil,
			[]want{{nil, nil, 100 * ms}}, 0},
		{"a push before the timeout", []pop{{0, 100 * ms, 0}}, []push{{60 * ms, "a"}},
			[]want{{"a", nil, 60 * ms}}, 0},
		{"a push after the timeout stays", []pop{{0, 100 * ms, 0}}, []push{{150 * ms, "a"}},
			[]want{{nil, nil, 100 * ms}}, 1},
		{"a stopped pop takes nothing", []pop{{0, 0, 30 * ms}}, []push{{50 * ms, "a"}},
			[]want{{nil, errStopped, 30 * ms}}, 1},
		{"waiting pops are served in order", []pop{{0, 0, 0}, {10 * ms, 0, 0}}, []push{{20 * ms, "a"}, {30 * ms, "b"}},
			[]want{{"a", nil, 20 * ms}, {"b", nil, 30 * ms}}, 0},
		{"a stopped pop loses its place", []pop{{0, 0, 15 * ms}, {10 * ms, 0, 0}}, []push{{20 * ms, "a"}},
			[]want{{nil, errStopped, 15 * ms}, {"a", nil, 20 * ms}}, 0},
		{"a pop that timed out loses its place", []pop{{0, 10 * ms, 0}, {5 * ms, 0, 0}}, []push{{20 * ms, "a"}},
			[]want{{nil, nil, 10 * ms}, {"a", nil, 20 * ms}}, 0},
		{"values come out in push order", []pop{{50 * ms, 0, 0}, {60 * ms, 0, 0}}, []push{{0, "a"}, {10 * ms, "b"}, {20 * ms, "c"}},
			[]want{{"a", nil, 50 * ms}, {"b", nil, 60 * ms}}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var s Store
				got := play(t, &s, tc.pushes, tc.pops)
				for i, w := range tc.want {
					if got[i].v != w.v || !errors.Is(got[i].err, w.err) || (w.err == nil && got[i].err != nil) || got[i].at != w.at {
						t.Errorf("pop %d: got %v, %v at %v; want %v, %v at %v", i, got[i].v, got[i].err, got[i].at, w.v, w.err, w.at)
					}
				}
				if n := s.Size("l"); n != tc.wantSize {
					t.Errorf("Size at the end: %d, want %d", n, tc.wantSize)
				}
			})
		})
	}
}

// TestPopConcurrent: 8 producers and 8 consumers (which time out and stop at
// random) on one list under -race. Every value is taken exactly once, and each
// consumer sees each producer's values in the order they were pushed.
func TestPopConcurrent(t *testing.T) {
	t.Parallel()
	const producers, consumers, perProducer = 8, 8, 2000
	var s Store
	taken := make([][]string, consumers)
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range perProducer {
				s.Push("l", fmt.Sprintf("%d/%05d", p, i))
			}
		})
	}
	done := make(chan struct{})
	var cwg sync.WaitGroup
	for c := range consumers {
		cwg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 1))
			for {
				select {
				case <-done:
					return
				default:
				}
				ctx, cancel := context.WithCancelCause(context.Background())
				if rng.IntN(4) == 0 {
					time.AfterFunc(time.Duration(rng.IntN(100))*time.Microsecond, func() { cancel(errStopped) })
				}
				v, ok, err := s.Pop(ctx, "l", time.Duration(1+rng.IntN(500))*time.Microsecond)
				cancel(nil)
				if ok {
					taken[c] = append(taken[c], v.(string))
				} else if err != nil && !errors.Is(err, errStopped) {
					t.Errorf("consumer %d: %v", c, err)
				}
			}
		})
	}
	wg.Wait()
	for s.Size("l") > 0 {
		time.Sleep(time.Millisecond)
	}
	close(done)
	cwg.Wait()
	// A value handed to a consumer as it was stopped went back to the list.
	var rest []string
	for s.Size("l") > 0 {
		v, _, _ := s.Pop(context.Background(), "l", 0)
		rest = append(rest, v.(string))
	}
	taken = append(taken, rest)

	seen := map[string]bool{}
	for c, vs := range taken {
		last := map[byte]string{}
		for _, v := range vs {
			if seen[v] {
				t.Errorf("value %s taken twice", v)
			}
			seen[v] = true
			if prev := last[v[0]]; prev > v {
				t.Errorf("consumer %d took %s after %s", c, v, prev)
			}
			last[v[0]] = v
		}
	}
	if len(seen) != producers*perProducer {
		t.Errorf("%d values taken, %d pushed", len(seen), producers*perProducer)
	}
}
