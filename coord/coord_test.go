package coord

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings/rendezvous"
	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/scheduler"
)

// ready calls Ready on every client at once and returns their start instants.
func ready(t *testing.T, cs []*Client) ([]time.Time, []error) {
	t.Helper()
	at := make([]time.Time, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() { at[i], errs[i] = c.Ready(context.Background()) })
	}
	wg.Wait()
	return at, errs
}

func TestStartBarrier(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 3)
	before := time.Now()
	at, errs := ready(t, cs)
	for i := range cs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if d := at[i].Sub(at[0]); d < -5*time.Millisecond || d > 5*time.Millisecond || at[i].Before(before) {
			t.Errorf("segment %d starts at %v, segment 0 at %v", i, at[i], at[0])
		}
	}
	// The same segment again: the run id was used.
	if _, err := cs[1].Ready(context.Background()); err == nil || !strings.Contains(err.Error(), "at the start barrier already") {
		t.Errorf("a second Ready of segment 1: %v", err)
	}
}

func TestStartBarrierTimeout(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 3)
	cs[0].cfg.StartTimeout = 200 * time.Millisecond
	_, err := cs[0].Ready(context.Background())
	if err == nil || !strings.Contains(err.Error(), "segments 1 and 2 of 3 have not reported ready") {
		t.Errorf("Ready alone: %v", err)
	}
}

func TestStartBarrierCountMismatch(t *testing.T) {
	t.Parallel()
	srv, cs, _ := run(t, 2)
	other, err := Dial(context.Background(), Config{URL: "redis://" + srv.Addr(), RunID: cs[0].cfg.RunID, Index: 2, Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	go func() { _, _ = cs[0].Ready(context.Background()) }()
	time.Sleep(50 * time.Millisecond)
	if _, err := other.Ready(context.Background()); err == nil || !strings.Contains(err.Error(), "has 2 segments") {
		t.Errorf("Ready with another count: %v", err)
	}
}

// TestRendezvousAcrossInstances: a count of 6 gathers 2 VUs of each of 3
// instances and releases them together; a wave that times out releases whoever
// waits; a stopped VU leaves its wave.
func TestRendezvousAcrossInstances(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 3)
	var wg sync.WaitGroup
	res := make(chan rendezvous.Result, 6)
	for _, c := range cs {
		for range 2 {
			wg.Go(func() {
				r, err := c.Rendezvous().Arrive(context.Background(), "buy", rendezvous.Options{Count: 6}, nil)
				if err != nil {
					t.Error(err)
				}
				res <- r
			})
		}
	}
	wg.Wait()
	close(res)
	for r := range res {
		if r.Released != rendezvous.ReleasedCount || r.Arrived != 6 {
			t.Errorf("released %+v", r)
		}
	}
	begin := time.Now()
	r, err := cs[1].Rendezvous().Arrive(context.Background(), "slow", rendezvous.Options{Count: 10, Timeout: 200 * time.Millisecond}, nil)
	if err != nil || r.Released != rendezvous.ReleasedTimeout || r.Arrived != 1 || time.Since(begin) < 190*time.Millisecond {
		t.Errorf("timeout wave: %+v, %v after %v", r, err, time.Since(begin))
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("stopped")
	time.AfterFunc(100*time.Millisecond, func() { cancel(stop) })
	if _, err := cs[2].Rendezvous().Arrive(ctx, "left", rendezvous.Options{Count: 2}, nil); !errors.Is(err, stop) {
		t.Errorf("stopped VU: %v", err)
	}
	// The stopped VU left: a new pair is needed, one VU alone is not released.
	done := make(chan rendezvous.Result, 1)
	go func() {
		r, _ := cs[0].Rendezvous().Arrive(context.Background(), "left", rendezvous.Options{Count: 2}, nil)
		done <- r
	}()
	select {
	case r := <-done:
		t.Fatalf("a lone VU was released: %+v", r)
	case <-time.After(100 * time.Millisecond):
	}
	if r, err := cs[1].Rendezvous().Arrive(context.Background(), "left", rendezvous.Options{Count: 2}, nil); err != nil || r.Arrived != 2 {
		t.Errorf("second of the pair: %+v %v", r, err)
	}
	if r := <-done; r.Arrived != 2 {
		t.Errorf("first of the pair: %+v", r)
	}
}

// TestRendezvousPercent: 50 % of 4 running VUs (2 per instance) is 2 VUs.
func TestRendezvousPercent(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 2)
	two := func() int64 { return 2 }
	done := make(chan rendezvous.Result, 2)
	for _, c := range cs {
		// Each instance publishes its running VUs, as its collector does.
		c.Interval(nil, nil, 2)
	}
	for _, c := range cs {
		go func() {
			r, err := c.Rendezvous().Arrive(context.Background(), "p", rendezvous.Options{Percent: 50}, two)
			if err != nil {
				t.Error(err)
			}
			done <- r
		}()
	}
	for range 2 {
		if r := <-done; r.Released != rendezvous.ReleasedCount {
			t.Errorf("percent wave: %+v", r)
		}
	}
}

func TestAbortReachesTheOthers(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 3)
	got := make(chan *scheduler.RemoteAbort, 3)
	for _, c := range cs {
		defer c.Watch(func(a *scheduler.RemoteAbort) { got <- a })()
	}
	cs[1].Abort(&scheduler.RemoteAbort{Segment: 1, Msg: "abortTest(): out of stock"})
	cs[2].Abort(&scheduler.RemoteAbort{Segment: 2, Msg: "later"}) // not recorded: the first wins
	for range 2 {
		select {
		case a := <-got:
			if a.Segment != 1 || a.Msg != "abortTest(): out of stock" {
				t.Errorf("abort %+v", a)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no abort reached an instance")
		}
	}
	select {
	case a := <-got:
		t.Errorf("a third abort: %+v", a)
	case <-time.After(300 * time.Millisecond):
	}
}

// TestLiveMerge: segment 0 sees the deltas of the others added to its totals.
func TestLiveMerge(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 3)
	snap := func(iters float64) *metrics.Snapshot {
		r := metrics.NewRegistry()
		s := r.NewSink()
		s.Add(r.Builtins().Iterations, metrics.Tags{}, iters)
		s.Add(r.Builtins().VUsMax, metrics.Tags{}, 2)
		s.Close()
		return r.Collect()
	}
	for i, c := range cs[1:] {
		if _, ok := c.Interval(snap(float64(10*(i+1))), nil, 2); ok {
			t.Error("segment >0 got the whole test")
		}
	}
	own := snap(5)
	l, ok := cs[0].Interval(own, own, 2)
	if !ok {
		t.Fatal("segment 0 did not get the whole test")
	}
	sum := func(s *metrics.Snapshot, name string) metrics.Aggregate {
		return *s.Sum(s.Metric(name), metrics.Tags{})
	}
	if got := sum(l.Totals, "iterations").Sum; got != 35 {
		t.Errorf("iterations of the whole test %v, want 35", got)
	}
	if got := sum(l.Totals, "vus_max").Last; got != 6 {
		t.Errorf("vus_max of the whole test %v, want 6", got)
	}
	if l.VUs != 6 {
		t.Errorf("running VUs %d, want 6", l.VUs)
	}
}

// TestLost: a coordinator that goes away is said once, and every call is
// then served in process.
func TestLost(t *testing.T) {
	t.Parallel()
	srv, cs, log := run(t, 2)
	ctx := context.Background()
	s := cs[0].Store()
	if _, err := s.Increment(ctx, "n", int64(1)); err != nil {
		t.Fatal(err)
	}
	waiting := make(chan rendezvous.Result, 1)
	go func() {
		r, _ := cs[0].Rendezvous().Arrive(ctx, "never", rendezvous.Options{Count: 5}, nil)
		waiting <- r
	}()
	time.Sleep(50 * time.Millisecond)
	srv.Close()
	for i := range 3 {
		v, err := s.Increment(ctx, "n", int64(1))
		if err != nil || v != int64(i+1) {
			t.Errorf("increment after the loss: %v, %v", v, err)
		}
	}
	select {
	case r := <-waiting:
		if r.Released != rendezvous.ReleasedTimeout {
			t.Errorf("waiting VU released %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a VU waiting in a rendezvous was not released when the coordinator went away")
	}
	if !cs[0].Lost() || strings.Count(log.String(), "unreachable") != 1 {
		t.Errorf("lost %v, log %q", cs[0].Lost(), log.String())
	}
	if _, ok := cs[0].Interval(nil, nil, 1); ok {
		t.Error("a lost coordinator still merges")
	}
}
