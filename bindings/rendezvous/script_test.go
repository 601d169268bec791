package rendezvous_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings/rendezvous"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

// runVUs runs fn in n VUs of tt at once, with __ENV.N = n, and returns their
// errors (nil entries for success).
func runVUs(ctx context.Context, tt *jstest.Test, fn string, n int) []error {
	return tt.RunVUs(ctx, n, fn, jstest.Env(map[string]string{"N": strconv.Itoa(n)}))
}

// waitSamples returns how many rendezvous_wait_duration samples point has.
func waitSamples(tt *jstest.Test, point string) uint64 {
	reg := tt.State.Metrics
	return reg.Collect().Sum(reg.Builtins().RendezvousWaitDuration, metrics.NewTags("rendezvous", point)).Count
}

// TestJS runs the functions of testdata/rendezvous.js, which throw on failure.
func TestJS(t *testing.T) {
	t.Parallel()
	running := func(group string) int64 {
		switch group {
		case "buyers":
			return 4
		case "":
			return 100
		}
		return -1 // as the scheduler answers for a group the test does not have
	}
	cases := []struct {
		fn          string
		vus         int
		running     func(string) int64
		wantErr     string // in every VU's error; "" for none
		wantSamples uint64
	}{
		{"meet", 1, nil, "", 1},
		{"meet", 25, nil, "", 25},
		{"alone", 1, nil, "", 1},
		{"idle", 1, nil, "", 1},
		{"half", 2, running, "", 2},
		{"withBackground", 1, nil, "", 2},
		{"badOptions", 1, nil, "", 0},
		{"newOptions", 1, nil, "", 2},
		{"unknownGroup", 1, running, `rendezvous("unknownGroup"): the test has no VU group named "byers"`, 0},
		{"unknownRunning", 1, nil, `rendezvous("unknownRunning"): percent needs the number of running VUs`, 0},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%d", tc.fn, tc.vus), func(t *testing.T) {
			t.Parallel()
			tt := jstest.New(t, "testdata/rendezvous.js")
			tt.State.RunningVUs = tc.running
			for i, err := range runVUs(context.Background(), tt, tc.fn, tc.vus) {
				switch {
				case tc.wantErr == "" && err != nil:
					t.Errorf("VU %d: %v", i+1, err)
				case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
					t.Errorf("VU %d: got %v, want an error containing %q", i+1, err, tc.wantErr)
				}
			}
			if got := waitSamples(tt, tc.fn); got != tc.wantSamples {
				t.Errorf("rendezvous_wait_duration{rendezvous=%s}: %d samples, want %d", tc.fn, got, tc.wantSamples)
			}
		})
	}
}

// arrivingVUs runs bench (testdata/rendezvous.js) with ctx in n VUs whose waves
// are of wave VUs, each on a goroutine of its own, and returns once every VU has
// marked its arrival in its dictionary: each is then at the rendezvous or about
// to call it. A test that stops the VUs then stops VUs that arrived, not VUs
// still starting (which would never arrive), however slow the machine. wait
// waits for the VUs and returns their errors.
func arrivingVUs(t *testing.T, ctx context.Context, tt *jstest.Test, n, wave int) (wait func() []error) {
	t.Helper()
	started := make(chan *jsruntime.VU, n)
	done := make(chan struct{})
	var errs []error
	go func() {
		defer close(done)
		errs = tt.InVUs(n, func(_ int, vu *jsruntime.VU) error {
			started <- vu
			return vu.Run(ctx, "bench")
		}, jstest.Env(map[string]string{"N": strconv.Itoa(wave)}))
	}()
	// The deadline only stops a broken binding from hanging the test.
	deadline := time.Now().Add(30 * time.Second)
	for range n {
		var vu *jsruntime.VU
		select {
		case vu = <-started:
		case <-done: // a VU could not be built: its error is in errs
			return func() []error { return errs }
		}
		for {
			if _, ok := vu.Dict.Get("arrivals"); ok {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("VU %d did not reach the rendezvous in 30 s", vu.Info.ID)
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	return func() []error {
		<-done
		return errs
	}
}

// TestJSStop stops VUs waiting at a rendezvous: each returns promptly with its
// context's cause, records its wait, and leaves the point.
func TestJSStop(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/rendezvous.js")
	stop := errors.New("ramp-down")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	// Waves of 1000 VUs: nobody is released, the 3 VUs wait until they are stopped.
	wait := arrivingVUs(t, ctx, tt, 3, 1000)
	cancel(stop)
	begin := time.Now()
	for i, err := range wait() {
		if !errors.Is(err, stop) {
			t.Errorf("VU %d: got %v, want %v", i+1, err, stop)
		}
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("stopped VUs took %v to leave the rendezvous", took)
	}
	if got := waitSamples(tt, "bench"); got != 3 {
		t.Errorf("rendezvous_wait_duration{rendezvous=bench}: %d samples, want 3", got)
	}
}

// TestJSLeaverNotCounted: a VU that stops while waiting no longer counts, so
// the next two VUs form a wave of their own. Were the stopped VU still counted,
// the second VU would be released with the third, and the fourth would hang.
func TestJSLeaverNotCounted(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/rendezvous.js")
	stop := errors.New("ramp-down")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	wait := arrivingVUs(t, ctx, tt, 1, 2)
	cancel(stop)
	if err := wait()[0]; !errors.Is(err, stop) {
		t.Fatalf("stopped VU: got %v, want %v", err, stop)
	}
	// A wave of the next two comes at once; the deadline only ends the wait of a
	// VU left alone by a point that still counts the stopped one.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel2()
	for i, err := range runVUs(ctx2, tt, "bench", 2) {
		if err != nil {
			t.Errorf("VU %d of the next wave: %v", i+1, err)
		}
	}
}

// TestJSReload: points outlive a hot reload, and a generation that changes a
// point's options gets them instead of an error.
func TestJSReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	load := func(opts, released string) *jsruntime.Program {
		t.Helper()
		src := fmt.Sprintf(`export default function () {
  const r = rendezvous('reload', %s);
  if (r.released !== '%s' || r.arrived !== 1) throw new Error('released ' + r.released + ', arrived ' + r.arrived);
}
`, opts, released)
		path := filepath.Join(dir, "main.js")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return jstest.Load(t, path)
	}
	tt := jstest.NewProgram(load("{ count: 1 }", "count"))
	tt.State.OnError = func(what string, err error) { t.Errorf("%s: %v", what, err) }
	vu := tt.NewVU(t)
	if err := vu.Iterate(context.Background(), jsruntime.FuncDefault, 0, 0); err != nil {
		t.Fatalf("generation 1: %v", err)
	}
	tt.State.Swap(load("{ count: 2, timeout: '20ms' }", "timeout"))
	for i := range int64(2) {
		if err := vu.Iterate(context.Background(), jsruntime.FuncDefault, i+1, i+1); err != nil {
			t.Fatalf("generation 2, iteration %d: %v", i+1, err)
		}
	}
}

// BenchmarkReleaseJS measures the release latency of a rendezvous of n script
// VUs: from the moment the last VU calls rendezvous() until every VU has returned
// from its function (vu.Run), so it includes building the result object,
// recording the wait and leaving the script. n-1 VUs start a wave when the
// benchmark opens it; the benchmark's own VU arrives once the others have marked
// their arrival in their dictionaries and had 2 ms to block, so the figure is an
// upper bound. Released VUs wait for the next wave before starting the next
// call, so they do not compete for CPU with VUs still leaving. Reported: mean
// and worst latency per wave.
func BenchmarkReleaseJS(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("vus=%d", n), func(b *testing.B) {
			tt := jstest.New(b, "testdata/rendezvous.js", jstest.Env(map[string]string{"N": strconv.Itoa(n)}))
			vus := make([]*jsruntime.VU, n)
			ready := make(chan error, n)
			rt := rendezvous.NewReleaseTimer(n)
			var all sync.WaitGroup
			gates := make([]chan struct{}, b.N)
			for i := range gates {
				gates[i] = make(chan struct{})
			}
			for i := 1; i < n; i++ {
				all.Go(func() {
					vu, err := tt.Build()
					vus[i] = vu // before ready: the benchmark reads vus[i] once all are ready
					ready <- err
					if err != nil {
						return
					}
					defer vu.Close()
					for _, gate := range gates {
						<-gate
						if err := vu.Run(context.Background(), "bench"); err != nil {
							b.Error(err)
						}
						rt.Back()
					}
				})
			}
			for range n - 1 {
				if err := <-ready; err != nil {
					b.Fatal(err)
				}
			}
			last := tt.NewVU(b)
			rt.Run(b, func(i int) {
				close(gates[i])
				wave := int64(i + 1)
				for v := 1; v < n; v++ {
					for got, _ := vus[v].Dict.Get("arrivals"); got != wave; got, _ = vus[v].Dict.Get("arrivals") {
						runtime.Gosched()
					}
				}
				time.Sleep(2 * time.Millisecond)
			}, func() {
				if err := last.Run(context.Background(), "bench"); err != nil {
					b.Fatal(err)
				}
			})
			all.Wait()
		})
	}
}
