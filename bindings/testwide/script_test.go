package testwide_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/jsload/jsload/jsruntime/jstest"
)

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
		{"unstorable values", []step{{"unstorable", 1}}, nil},
		{"from a background script", []step{{"fromBackground", 1}}, nil},
		{"tokens from one VU to 7", []step{{"tokens", 8}, {"tokensTaken", 1}}, map[string]string{"TOKENS": "500", "CONSUMERS": "7"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tt := jstest.New(t, "testdata/shared.js", jstest.Env(tc.env))
			for _, st := range tc.steps {
				for i, err := range tt.RunVUs(context.Background(), st.vus, st.fn) {
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
	tt := jstest.New(t, "testdata/shared.js")
	stop := errors.New("test ended")
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(50*time.Millisecond, func() { cancel(stop) })
	begin := time.Now()
	for i, err := range tt.RunVUs(ctx, 4, "popForever") {
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
	tt := jstest.New(b, "testdata/shared.js")
	b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		vu, err := tt.Build()
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
