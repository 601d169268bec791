package dict

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// waiting counts the waiters registered in s.
func (s *Store) waiting() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, l := range s.waiters {
		n += len(l)
	}
	return n
}

type result struct {
	v   any
	err error
}

// goWait starts fn in a goroutine and returns the channel its result arrives on.
func goWait(fn func() (any, error)) <-chan result {
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	return ch
}

func TestWait(t *testing.T) {
	t.Parallel()
	errStop := errors.New("vu stopping")
	tests := []struct {
		name    string
		preset  bool          // key set before the wait
		change  bool          // WaitChange instead of Wait
		write   bool          // another goroutine sets the key while waiting
		cancel  bool          // ctx cancelled while waiting
		timeout time.Duration // wait timeout
		want    any
		wantErr string
	}{
		{name: "present returns at once", preset: true, want: "old"},
		{name: "absent woken by set", write: true, want: "new"},
		{name: "absent woken by set with timeout", write: true, timeout: time.Minute, want: "new"},
		{name: "change ignores present value", preset: true, change: true, write: true, want: "new"},
		{name: "timeout", timeout: 5 * time.Second, wantErr: `timed out after 5s waiting for key "k"`},
		{name: "change timeout", preset: true, change: true, timeout: time.Second, wantErr: `timed out after 1s waiting for key "k"`},
		{name: "cancel", cancel: true, wantErr: "vu stopping"},
		{name: "change cancel", change: true, cancel: true, wantErr: "vu stopping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				s := New()
				if tt.preset {
					s.Set("k", "old")
				}
				ctx, cancel := context.WithCancelCause(t.Context())
				defer cancel(nil)
				wait := s.Wait
				if tt.change {
					wait = s.WaitChange
				}
				start := time.Now()
				ch := goWait(func() (any, error) { return wait(ctx, "k", tt.timeout) })
				synctest.Wait() // the waiter is blocked or done
				if tt.write {
					s.Set("k", "new")
				}
				if tt.cancel {
					cancel(errStop)
				}
				r := <-ch
				if tt.wantErr != "" {
					if r.err == nil || !strings.Contains(r.err.Error(), tt.wantErr) {
						t.Fatalf("err = %v; want %q", r.err, tt.wantErr)
					}
					if tt.cancel && !errors.Is(r.err, errStop) {
						t.Errorf("err = %v; want the context's cause", r.err)
					}
					var te *TimeoutError
					if tt.timeout > 0 && (!errors.As(r.err, &te) || te.Kind != "key" || te.Name != "k" || te.Waited != tt.timeout || time.Since(start) != tt.timeout) {
						t.Errorf("err = %#v after %v; want *TimeoutError for key k after %v", r.err, time.Since(start), tt.timeout)
					}
				} else if r.err != nil || r.v != tt.want {
					t.Fatalf("got %v, %v; want %v", r.v, r.err, tt.want)
				}
				if n := s.waiting(); n != 0 {
					t.Errorf("%d waiters left registered", n)
				}
			})
		})
	}
}

func TestWaitCancelledContext(t *testing.T) {
	t.Parallel()
	s := New()
	s.Set("k", 1)
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("duration reached")
	cancel(cause)
	if _, err := s.Wait(ctx, "k", 0); !errors.Is(err, cause) {
		t.Errorf("Wait on a cancelled context = %v; want %v", err, cause)
	}
	if _, err := s.WaitChange(ctx, "k", 0); !errors.Is(err, cause) {
		t.Errorf("WaitChange on a cancelled context = %v; want %v", err, cause)
	}
}

// TestWaitCancelReleasesAll blocks many waiters on one Store and its overlay
// and checks that one cancellation releases every one of them.
func TestWaitCancelReleasesAll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New()
		o := s.Overlay()
		ctx, cancel := context.WithCancelCause(t.Context())
		cause := errors.New("interrupted")
		var chans []<-chan result
		for i := range 64 {
			st := s
			if i%2 == 1 {
				st = o
			}
			key := fmt.Sprintf("k%d", i%5)
			if i%3 == 0 {
				chans = append(chans, goWait(func() (any, error) { return st.WaitChange(ctx, key, 0) }))
			} else {
				chans = append(chans, goWait(func() (any, error) { return st.Wait(ctx, key, time.Hour) }))
			}
		}
		synctest.Wait()
		if s.waiting() != 64 || o.waiting() != 32 {
			t.Fatalf("waiters registered: store %d, overlay %d; want 64 and 32", s.waiting(), o.waiting())
		}
		cancel(cause)
		for _, ch := range chans {
			if r := <-ch; !errors.Is(r.err, cause) {
				t.Errorf("waiter returned %v, %v; want %v", r.v, r.err, cause)
			}
		}
		if s.waiting()+o.waiting() != 0 {
			t.Errorf("waiters left: %d + %d", s.waiting(), o.waiting())
		}
	})
}

// TestStoreRace has 64 goroutines read, write and wait on one Store and an
// overlay of it until the waits have both been woken by writes and timed out
// and every goroutine has done its share; then the context is cancelled under
// the waiters. Run with -race.
func TestStoreRace(t *testing.T) {
	t.Parallel()
	s := New()
	o := s.Overlay()
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var wg sync.WaitGroup
	var woken, timedOut, stopped, ops atomic.Int64
	const minOps = 50
	for g := range 64 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			st := s
			if g%4 == 0 {
				st = o
			}
			for i := 0; ctx.Err() == nil; i++ {
				if i == minOps && g%8 != 7 {
					ops.Add(1) // g%8 == 7 may block for good on a 0 (no) timeout
				}
				key := fmt.Sprintf("k%d", r.IntN(8))
				switch g % 8 {
				case 0, 1, 2:
					st.Set(key, int64(i))
				case 3:
					st.SetMany(map[string]any{key: "x", "other": i})
				case 4:
					_, _ = st.Get(key)
					_ = st.Keys()
					st.Remove(key)
				case 5, 6:
					_, err := st.WaitChange(ctx, key, time.Duration(r.IntN(200))*time.Microsecond)
					record(err, &woken, &timedOut, &stopped)
				default:
					_, err := st.Wait(ctx, "never", time.Duration(r.IntN(50))*time.Microsecond)
					record(err, &woken, &timedOut, &stopped)
					_ = st.Snapshot().Keys()
				}
			}
		})
	}
	// Cancel once every path has been taken, however slow the machine is;
	// the deadline only stops a broken store from hanging the test.
	deadline := time.Now().Add(30 * time.Second)
	for ops.Load() < 56 || woken.Load() == 0 || timedOut.Load() == 0 {
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel(errors.New("test over"))
	wg.Wait()
	if s.waiting()+o.waiting() != 0 {
		t.Errorf("waiters left: %d + %d", s.waiting(), o.waiting())
	}
	if ops.Load() < 56 || woken.Load() == 0 || timedOut.Load() == 0 {
		t.Errorf("after 30 s: %d of 56 goroutines did %d operations; woken %d, timed out %d, stopped %d: want writes to wake waits and short waits to time out",
			ops.Load(), minOps, woken.Load(), timedOut.Load(), stopped.Load())
	}
}

func record(err error, woken, timedOut, stopped *atomic.Int64) {
	var te *TimeoutError
	switch {
	case err == nil:
		woken.Add(1)
	case errors.As(err, &te):
		timedOut.Add(1)
	default:
		stopped.Add(1)
	}
}
