package testwide_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// newShared compiles testdata/shared.js for a test of its own (its own store).
func newShared(tb testing.TB) *jsruntime.TestState {
	tb.Helper()
	p, err := jsruntime.Load("testdata/shared.js", jsruntime.BuiltinModules())
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
	return &jsruntime.TestState{Program: p, Metrics: metrics.NewRegistry(), ThinkTimeFactor: 1}
}

func newVU(s *jsruntime.TestState, id int64, env map[string]string) (*jsruntime.VU, error) {
	info := &bindings.VUInfo{ID: id, IDInGroup: id, Group: "default", Env: env}
	return jsruntime.NewVU(context.Background(), s, info, nil)
}

// runVUs runs fn in n VUs at once, each on its own goroutine, and returns their
// errors (nil entries for success). Every VU is built before any runs fn:
// building one takes long on a busy machine, and a VU still being built would
// let the others' short waits (pop with a timeout) run out before it starts.
func runVUs(ctx context.Context, s *jsruntime.TestState, fn string, n int, env map[string]string) []error {
	errs := make([]error, n)
	var built, wg sync.WaitGroup
	built.Add(n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			vu, err := newVU(s, int64(i+1), env)
			built.Done()
			if err != nil {
				errs[i] = err
				return
			}
			defer vu.Close()
			<-start
			errs[i] = vu.Run(ctx, fn)
		})
	}
	built.Wait()
	close(start)
	wg.Wait()
	return errs
}

// TestJS runs the functions of testdata/shared.js, which throw on failure; each
// case's steps share one store and run one after the other.
func TestJS(t *testing.T) {
	t.Parallel()
	type step struct {
		fn  string
		vus int
	}
	cases := []struct {
		name  string
		steps []step
		env   map[string]string
	}{
		{"64 VUs count exactly", []step{{"count", 64}}, map[string]string{"N": "64", "TIMES": "200"}},
		{"values", []step{{"values", 1}}, nil},
		{"lists", []step{{"lists", 1}}, nil},
		{"from a background script", []step{{"fromBackground", 1}}, nil},
		{"tokens from one VU to 7", []step{{"tokens", 8}, {"tokensTaken", 1}}, map[string]string{"TOKENS": "500", "CONSUMERS": "7"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newShared(t)
			for _, st := range tc.steps {
				for i, err := range runVUs(context.Background(), s, st.fn, st.vus, tc.env) {
					if err != nil {
						t.Errorf("%s, VU %d: %v", st.fn, i+1, err)
					}
				}
			}
		})
	}
}

// TestJSStopPop stops VUs blocked in pop: each returns promptly with its
// context's cause.
func TestJSStopPop(t *testing.T) {
	t.Parallel()
	s := newShared(t)
	stop := errors.New("test ended")
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(50*time.Millisecond, func() { cancel(stop) })
	begin := time.Now()
	for i, err := range runVUs(ctx, s, "popForever", 4, nil) {
		if !errors.Is(err, stop) {
			t.Errorf("VU %d: got %v, want %v", i+1, err, stop)
		}
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("stopped VUs took %v to leave pop", took)
	}
}

// BenchmarkIncrementJS measures shared.increment called from scripts by 8 VUs at
// once (8 goroutines when GOMAXPROCS divides 8), all on one key; ns/op is per
// increment, including the script's loop. Each goroutine builds its VU when it
// starts, which is timed but amortised over the run.
func BenchmarkIncrementJS(b *testing.B) {
	const batch = 100
	s := newShared(b)
	var ids atomic.Int64
	b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		vu, err := newVU(s, ids.Add(1), nil)
		if err != nil {
			b.Error(err)
			return
		}
		defer vu.Close()
		run := func(n int) {
			vu.Dict.Set("n", int64(n))
			if err := vu.Run(context.Background(), "incN"); err != nil {
				b.Error(err)
			}
		}
		n := 0
		for pb.Next() {
			if n++; n == batch {
				run(n)
				n = 0
			}
		}
		run(n)
	})
}
