package rendezvous

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const ms = time.Millisecond

// arrival is one VU of a scenario: it arrives at `at` and, when cancel > 0, its
// context ends at `cancel` (the VU stops while waiting).
type arrival struct{ at, cancel time.Duration }

// step sets the number of running VUs to n at `at`.
type step struct {
	at time.Duration
	n  int64
}

var errStopped = errors.New("vu stopped")

// TestRelease plays scenarios of one wave in a bubble with a fake clock, and checks
// when and why the wave is released and what every VU learns.
func TestRelease(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		opts        Options
		running     []step // running VUs over time (percent); none: 0
		arrivals    []arrival
		want        Release
		wantArrived int64
		wantAt      time.Duration // when the wave is released
	}{
		{"count reached", Options{Count: 3}, nil,
			[]arrival{{0, 0}, {10 * ms, 0}, {20 * ms, 0}}, ReleasedCount, 3, 20 * ms},
		{"count of one never waits", Options{Count: 1}, nil,
			[]arrival{{5 * ms, 0}}, ReleasedCount, 1, 5 * ms},
		{"timeout releases whoever is there", Options{Count: 3, Timeout: 100 * ms}, nil,
			[]arrival{{0, 0}, {30 * ms, 0}}, ReleasedTimeout, 2, 100 * ms},
		{"timeout runs from the first arrival", Options{Count: 5, Timeout: 100 * ms}, nil,
			[]arrival{{50 * ms, 0}, {120 * ms, 0}}, ReleasedTimeout, 2, 150 * ms},
		{"count before timeout", Options{Count: 2, Timeout: 100 * ms}, nil,
			[]arrival{{0, 0}, {99 * ms, 0}}, ReleasedCount, 2, 99 * ms},
		{"inter-arrival timeout", Options{Count: 5, InterArrivalTimeout: 50 * ms}, nil,
			[]arrival{{0, 0}, {30 * ms, 0}, {60 * ms, 0}}, ReleasedTimeout, 3, 110 * ms},
		{"arrivals keep the inter-arrival timeout off", Options{Count: 4, InterArrivalTimeout: 50 * ms}, nil,
			[]arrival{{0, 0}, {40 * ms, 0}, {80 * ms, 0}, {120 * ms, 0}}, ReleasedCount, 4, 120 * ms},
		{"timeout before inter-arrival timeout", Options{Count: 9, Timeout: 100 * ms, InterArrivalTimeout: 60 * ms}, nil,
			[]arrival{{0, 0}, {40 * ms, 0}, {80 * ms, 0}}, ReleasedTimeout, 3, 100 * ms},
		{"percent of running VUs", Options{Percent: 50}, []step{{0, 10}},
			[]arrival{{0, 0}, {10 * ms, 0}, {20 * ms, 0}, {30 * ms, 0}, {40 * ms, 0}}, ReleasedCount, 5, 40 * ms},
		{"percent rounds up", Options{Percent: 50}, []step{{0, 5}},
			[]arrival{{0, 0}, {10 * ms, 0}, {20 * ms, 0}}, ReleasedCount, 3, 20 * ms},
		{"percent with timeout", Options{Percent: 50, Timeout: 80 * ms}, []step{{0, 10}},
			[]arrival{{0, 0}, {10 * ms, 0}}, ReleasedTimeout, 2, 80 * ms},
		{"percent re-evaluated as VUs stop", Options{Percent: 100}, []step{{0, 4}, {90 * ms, 2}},
			[]arrival{{0, 0}, {10 * ms, 0}}, ReleasedCount, 2, 100 * ms},
		{"percent waits while running VUs are unknown", Options{Percent: 50, Timeout: 200 * ms}, nil,
			[]arrival{{0, 0}, {10 * ms, 0}}, ReleasedTimeout, 2, 200 * ms},
		{"percent once running VUs are known", Options{Percent: 100, Timeout: time.Second}, []step{{0, 0}, {60 * ms, 2}},
			[]arrival{{0, 0}, {10 * ms, 0}}, ReleasedCount, 2, 75 * ms},
		{"a VU leaves, the wave fills later", Options{Count: 3}, nil,
			[]arrival{{0, 0}, {10 * ms, 20 * ms}, {30 * ms, 0}, {40 * ms, 0}}, ReleasedCount, 3, 40 * ms},
		{"a VU leaves, the timeout releases the rest", Options{Count: 5, Timeout: 100 * ms}, nil,
			[]arrival{{0, 0}, {10 * ms, 50 * ms}, {20 * ms, 0}}, ReleasedTimeout, 2, 100 * ms},
		{"an emptied wave restarts its timeout", Options{Count: 5, Timeout: 100 * ms}, nil,
			[]arrival{{0, 20 * ms}, {50 * ms, 0}}, ReleasedTimeout, 1, 150 * ms},
		{"VUs leaving shrink a percent wave", Options{Percent: 100}, []step{{0, 4}, {45 * ms, 2}},
			[]arrival{{0, 0}, {10 * ms, 40 * ms}, {20 * ms, 0}}, ReleasedCount, 2, 50 * ms},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { playWave(t, tc.opts, tc.running, tc.arrivals, tc.want, tc.wantArrived, tc.wantAt) })
		})
	}
}

// playWave runs one scenario of TestRelease inside a bubble.
func playWave(t *testing.T, o Options, running []step, arrivals []arrival, want Release, wantArrived int64, wantAt time.Duration) {
	p, err := NewPoint(o)
	if err != nil {
		t.Fatalf("NewPoint(%s): %v", o, err)
	}
	var n atomic.Int64
	if len(running) > 0 && running[0].at == 0 {
		n.Store(running[0].n) // before any VU arrives
	}
	start := time.Now()
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, s := range running {
			time.Sleep(s.at - time.Since(start))
			n.Store(s.n)
		}
	})
	type outcome struct {
		res Result
		err error
		at  time.Duration
	}
	out := make([]outcome, len(arrivals))
	for i, a := range arrivals {
		wg.Go(func() {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			if a.cancel > 0 {
				stop := time.AfterFunc(a.cancel, func() { cancel(errStopped) })
				defer stop.Stop()
			}
			time.Sleep(a.at)
			res, err := p.Arrive(ctx, n.Load)
			out[i] = outcome{res, err, time.Since(start)}
		})
	}
	wg.Wait()
	for i, a := range arrivals {
		got := out[i]
		if a.cancel > 0 {
			if !errors.Is(got.err, errStopped) || got.at != a.cancel || got.res.Waited != a.cancel-a.at {
				t.Errorf("VU %d stopped at %v: got err %v at %v, waited %v; want %v at %v, waited %v",
					i, a.cancel, got.err, got.at, got.res.Waited, errStopped, a.cancel, a.cancel-a.at)
			}
			continue
		}
		wantRes := Result{Released: want, Arrived: wantArrived, Waited: wantAt - a.at}
		if got.err != nil || got.res != wantRes || got.at != wantAt {
			t.Errorf("VU %d arriving at %v: got %+v, err %v at %v; want %+v at %v", i, a.at, got.res, got.err, got.at, wantRes, wantAt)
		}
	}
	if w := p.Waiting(); w != 0 {
		t.Errorf("after the wave %d VUs still wait", w)
	}
}

// TestWaves checks that a point re-arms: VUs arriving after a release form the
// next wave, with a timeout of its own.
func TestWaves(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p, err := NewPoint(Options{Count: 2, Timeout: 100 * ms})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		at := []time.Duration{0, 10 * ms, 20 * ms, 30 * ms, 40 * ms}
		want := []Result{
			{ReleasedCount, 2, 10 * ms}, {ReleasedCount, 2, 0},
			{ReleasedCount, 2, 10 * ms}, {ReleasedCount, 2, 0},
			{ReleasedTimeout, 1, 100 * ms},
		}
		got := make([]Result, len(at))
		var wg sync.WaitGroup
		for i := range at {
			wg.Go(func() {
				time.Sleep(at[i] - time.Since(start))
				var err error
				got[i], err = p.Arrive(context.Background(), nil)
				if err != nil {
					t.Errorf("VU %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("VU %d arriving at %v: got %+v, want %+v", i, at[i], got[i], want[i])
			}
		}
	})
}

// TestNewOptions: options given while a wave is open apply from the next wave;
// the open wave keeps its own, and the VU that brought the new ones joins it (as
// when a hot reload changes a point while VUs of the old generation wait).
func TestNewOptions(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var ps Points
		arrive := func(o Options) (Result, error) {
			p, err := ps.Get("p", o)
			if err != nil {
				return Result{}, err
			}
			return p.Arrive(context.Background(), nil)
		}
		old, next := Options{Count: 2}, Options{Count: 3, Timeout: 100 * ms}
		var first Result
		var wg sync.WaitGroup
		wg.Go(func() {
			var err error
			if first, err = arrive(old); err != nil {
				t.Error(err)
			}
		})
		synctest.Wait() // the first VU waits in a wave of old
		got, err := arrive(next)
		wg.Wait()
		want := Result{Released: ReleasedCount, Arrived: 2}
		if err != nil || got != want || first != want {
			t.Errorf("a VU with new options at an open wave: got %+v, %v (first VU %+v); want both %+v", got, err, first, want)
		}
		got, err = arrive(next) // alone in a wave of next: its timeout releases it
		if want := (Result{Released: ReleasedTimeout, Arrived: 1, Waited: 100 * ms}); err != nil || got != want {
			t.Errorf("the next wave: got %+v, %v; want %+v", got, err, want)
		}
	})
}

// TestUnknownRunning: percent without a count of running VUs and without a
// timeout would wait forever, so it fails at once and leaves no VU behind.
func TestUnknownRunning(t *testing.T) {
	t.Parallel()
	p, err := NewPoint(Options{Percent: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, running := range []func() int64{nil, func() int64 { return 0 }} {
		if _, err := p.Arrive(context.Background(), running); !errors.Is(err, ErrUnknownRunning) {
			t.Errorf("Arrive: got %v, want %v", err, ErrUnknownRunning)
		}
		if w := p.Waiting(); w != 0 {
			t.Errorf("%d VUs wait after a failed arrival", w)
		}
	}
}

// TestManyWaves runs many goroutine-VUs through many waves under -race. A wave
// released by count must be full; every arrival must end (released, or stopped);
// nobody may be left waiting. With fewer VUs per wave than VUs, the last VUs to
// finish cannot fill a wave on their own: the inter-arrival timeout releases them.
func TestManyWaves(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		opts      Options
		vus, laps int
		stopEvery int // every stopEvery-th arrival is cancelled while waiting (0: none)
	}{
		{"1000 VUs, 100 waves of all", Options{Count: 1000}, 1000, 100, 0},
		{"1000 VUs, waves of 100", Options{Count: 100, InterArrivalTimeout: 50 * ms}, 1000, 10, 0},
		{"1000 VUs leaving at times", Options{Count: 100, InterArrivalTimeout: 20 * ms}, 1000, 10, 7},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := NewPoint(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var released, stopped, full atomic.Int64
			var wg sync.WaitGroup
			for v := range tc.vus {
				wg.Go(func() {
					for lap := range tc.laps {
						ctx, cancel := context.WithCancelCause(context.Background())
						if tc.stopEvery > 0 && (v*tc.laps+lap)%tc.stopEvery == 0 {
							time.AfterFunc(time.Millisecond, func() { cancel(errStopped) })
						}
						res, err := p.Arrive(ctx, nil)
						cancel(nil)
						switch {
						case errors.Is(err, errStopped):
							stopped.Add(1)
						case err != nil:
							t.Errorf("VU %d lap %d: %v", v, lap, err)
						case res.Released == ReleasedCount && res.Arrived != tc.opts.Count:
							t.Errorf("VU %d lap %d: got %+v, want a full wave of %d", v, lap, res, tc.opts.Count)
						default:
							released.Add(1)
							if res.Released == ReleasedCount {
								full.Add(1)
							}
						}
					}
				})
			}
			wg.Wait()
			total := int64(tc.vus * tc.laps)
			if released.Load()+stopped.Load() != total {
				t.Errorf("%d released + %d stopped of %d arrivals", released.Load(), stopped.Load(), total)
			}
			if tc.opts.InterArrivalTimeout == 0 && full.Load() != total {
				t.Errorf("%d of %d arrivals were in full waves", full.Load(), total)
			}
			if w := p.Waiting(); w != 0 {
				t.Errorf("%d VUs still wait", w)
			}
			t.Logf("%d arrivals: %d in full waves, %d released by timeout, %d stopped",
				total, full.Load(), released.Load()-full.Load(), stopped.Load())
		})
	}
}
