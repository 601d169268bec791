package metrics

import (
	"runtime"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unsafe"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 0, 0, time.UTC)

func TestSinkConcurrentVUs(t *testing.T) {
	t.Parallel()
	const vus, perGoroutine = 8, 2000
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	tags := NewTags("name", "home")
	group := NewSeriesGroup(b.DataSent, b.HTTPReqWaiting)

	stop := make(chan struct{})
	var collector sync.WaitGroup
	collector.Go(func() { // the per-second collector, racing with the VUs
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
				r.CollectAt(t0.Add(time.Duration(i) * time.Millisecond))
			}
		}
	})
	var wg sync.WaitGroup
	for range vus {
		sink := r.NewSink()
		var vu sync.WaitGroup
		for g := range 2 { // the VU's main flow and one background script
			vu.Go(func() {
				for i := range perGoroutine {
					sink.Add(b.HTTPReqs, tags, 1)
					sink.Add(b.HTTPReqDuration, tags, float64(i%100))
					sink.AddBool(b.HTTPReqFailed, tags, i%4 == 0)
					sink.Check(Tags{}, "ok", g == 0)
					sink.AddGroup(group, tags, 2, float64(i%100))
				}
			})
		}
		wg.Go(func() { vu.Wait(); sink.Close() })
	}
	wg.Wait()
	close(stop)
	collector.Wait()
	r.CollectAt(t0.Add(time.Hour))
	tot := r.Totals()

	const total = vus * 2 * perGoroutine
	if got := tot.Sum(b.HTTPReqs, Tags{}).Sum; got != total {
		t.Errorf("http_reqs = %v, want %d", got, total)
	}
	d := tot.Sum(b.HTTPReqDuration, Tags{})
	if d.Count != total || d.Min != 0 || d.Max != 99 || d.Hist.Count() != total {
		t.Errorf("http_req_duration count/min/max/hist = %d/%v/%v/%d", d.Count, d.Min, d.Max, d.Hist.Count())
	}
	if ds, w := tot.Sum(b.DataSent, Tags{}), tot.Sum(b.HTTPReqWaiting, Tags{}); ds.Sum != 2*total || w.Count != total || w.Max != 99 {
		t.Errorf("data_sent = %v, http_req_waiting count/max = %d/%v; want %d, %d/99", ds.Sum, w.Count, w.Max, 2*total, total)
	}
	if f := tot.Sum(b.HTTPReqFailed, Tags{}); f.Trues != total/4 || f.Count != total {
		t.Errorf("http_req_failed trues/count = %d/%d, want %d/%d", f.Trues, f.Count, total/4, total)
	}
	if c := tot.Sum(b.Checks, NewTags(TagCheck, "ok")); c.Trues != total/2 || c.Falses() != total/2 {
		t.Errorf("checks{check=ok} = %d ✓ %d ✗", c.Trues, c.Falses())
	}
	late := r.NewSink()
	late.Close()
	late.Add(b.HTTPReqs, tags, 1)
	late.AddGroup(group, tags, 2, 1)
	late.AddSamples(tags, Sample{b.HTTPReqs, 1})
	r.Collect()
	if got := r.Totals().Sum(b.HTTPReqs, Tags{}).Sum; got != total {
		t.Errorf("after samples on a closed sink, http_reqs = %v, want %d", got, total)
	}
}

func TestSinksShareShards(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	b := r.Builtins()
	const vus = 1000
	shards := map[*shard]int{}
	for i := range vus {
		s := r.NewSink()
		shards[s.sh]++
		s.Add(b.Iterations, NewTags("vu", strconv.Itoa(i)), 1) // a series of each VU's own
	}
	if len(shards) != len(r.shards) || len(r.shards) > 2*runtime.GOMAXPROCS(0) {
		t.Errorf("%d VUs record into %d shards of %d, want all of them, at most 2 per processor", vus, len(shards), len(r.shards))
	}
	held := 0
	for sh, n := range shards {
		sh.mu.Lock()
		held += len(sh.series)
		if len(sh.series) != n {
			t.Errorf("a shard of %d VUs holds %d series", n, len(sh.series))
		}
		sh.mu.Unlock()
	}
	r.Collect()
	if got := r.Totals().Sum(b.Iterations, Tags{}).Sum; got != vus || held != vus {
		t.Errorf("iterations = %v in %d series, want %d", got, held, vus)
	}
}

// TestGaugeLastInOrder: VUs sharing a shard read the clock before taking its
// lock, so a gauge's samples may arrive out of order; the latest one stays
// the last value.
func TestGaugeLastInOrder(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	a := newAggregate(r.Builtins().VUs, Tags{})
	a.add(2, 20)
	a.add(1, 10) // read the clock earlier, got the lock later
	if a.Last != 2 || a.Min != 1 || a.Max != 2 || a.Count != 2 {
		t.Errorf("last/min/max/count = %v/%v/%v/%d, want 2/1/2/2", a.Last, a.Min, a.Max, a.Count)
	}
}

func TestSinkCloseKeepsData(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	c := r.Builtins().Iterations
	s := r.NewSink()
	s.Add(c, Tags{}, 3)
	s.Close()
	s.Close() // idempotent
	s.Add(c, Tags{}, 100)
	iv := r.CollectAt(t0.Add(time.Second))
	if got := iv.Sum(c, Tags{}).Sum; got != 3 {
		t.Errorf("interval iterations = %v, want 3 (samples before Close kept, after Close dropped)", got)
	}
	r.CollectAt(t0.Add(2 * time.Second))
	if got := r.Totals().Sum(c, Tags{}).Sum; got != 3 {
		t.Errorf("totals iterations = %v, want 3", got)
	}
}

func TestCollectIntervals(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	tests := []struct {
		add          float64
		wantInterval float64
		wantTotal    float64
	}{
		{5, 5, 5},
		{0, 0, 5}, // nothing recorded this second
		{7, 7, 12},
	}
	var prevTotals *Snapshot
	for i, tt := range tests {
		if tt.add > 0 {
			s.Add(b.DataSent, Tags{}, tt.add)
		}
		end := t0.Add(time.Duration(i+1) * time.Second)
		iv := r.CollectAt(end)
		if iv.Elapsed() != time.Second || !iv.End.Equal(end) {
			t.Errorf("interval %d covers %v ending %v", i, iv.Elapsed(), iv.End)
		}
		if got := iv.Sum(b.DataSent, Tags{}).Sum; got != tt.wantInterval {
			t.Errorf("interval %d: data_sent = %v, want %v", i, got, tt.wantInterval)
		}
		tot := r.Totals()
		if got := tot.Sum(b.DataSent, Tags{}).Sum; got != tt.wantTotal {
			t.Errorf("interval %d: total data_sent = %v, want %v", i, got, tt.wantTotal)
		}
		if !tot.Start.Equal(t0) || !tot.End.Equal(end) {
			t.Errorf("totals cover %v..%v", tot.Start, tot.End)
		}
		if prevTotals != nil && prevTotals.Sum(b.DataSent, Tags{}).Sum != tests[i-1].wantTotal {
			t.Errorf("an earlier Totals snapshot changed after Collect")
		}
		prevTotals = tot
	}
}

// TestSinkBuffersSamples: a sink that records groups (requests) buffers its
// other samples too, Gauges but; each interval sees all of its own, in order
// for a Gauge, whatever the buffer held when it ended.
func TestSinkBuffersSamples(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	tags := NewTags("group", "g")
	s.AddGroup(NewSeriesGroup(b.HTTPReqs), tags, 1) // the sink has a buffer from now on
	for interval, n := range []int{5, pendingSingles, 3*pendingSingles + 7} {
		for i := range n {
			s.AddSamples(tags, Sample{b.Iterations, 1}, Sample{b.IterationDuration, float64(i)})
			s.Add(b.VUs, tags, float64(i))
			s.Check(tags, "ok", i%2 == 0)
		}
		iv := r.CollectAt(t0.Add(time.Duration(interval+1) * time.Second))
		wantSum := float64(n*(n-1)) / 2
		if it, d := iv.Sum(b.Iterations, tags), iv.Sum(b.IterationDuration, tags); it.Sum != float64(n) || d.Count != uint64(n) || d.Sum != wantSum || d.Max != float64(n-1) {
			t.Errorf("interval %d: iterations %v, iteration_duration count %d sum %v max %v; want %d, %d, %v, %d", interval, it.Sum, d.Count, d.Sum, d.Max, n, n, wantSum, n-1)
		}
		if g := iv.Sum(b.VUs, tags); g.Last != float64(n-1) {
			t.Errorf("interval %d: vus last %v, want %d", interval, g.Last, n-1)
		}
		if c := iv.Sum(b.Checks, Tags{}); c.Count != uint64(n) || c.Trues != uint64((n+1)/2) {
			t.Errorf("interval %d: checks %d, %d true; want %d, %d", interval, c.Count, c.Trues, n, (n+1)/2)
		}
	}
}

func TestSinkForgetsIdleSeries(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	s := r.NewSink()
	for i := range 50 {
		s.Add(r.Builtins().HTTPReqs, NewTags("url", string(rune('a'+i))), 1)
	}
	r.Collect() // drained, kept for reuse
	r.Collect() // idle for a whole interval: forgotten
	s.sh.mu.Lock()
	n := len(s.sh.series)
	s.sh.mu.Unlock()
	if n != 0 {
		t.Errorf("shard still holds %d idle series", n)
	}
	if got := r.Totals().Sum(r.Builtins().HTTPReqs, Tags{}).Sum; got != 50 {
		t.Errorf("totals http_reqs = %v, want 50", got)
	}
}

func TestGaugeLastAcrossSinks(t *testing.T) {
	t.Parallel()
	// synctest's fake clock gives each step a distinct monotonic timestamp
	// without really sleeping.
	synctest.Test(t, func(t *testing.T) {
		r := NewRegistry()
		g := r.Builtins().VUs
		a, b := r.NewSink(), r.NewSink()
		steps := []struct {
			sink                       *Sink
			v                          float64
			collect                    bool
			wantLast, wantMin, wantMax float64
		}{
			{a, 5, false, 0, 0, 0},
			{b, 3, true, 3, 3, 5},
			{a, 7, true, 7, 3, 7},
			{b, 1, true, 1, 1, 7},
		}
		for i, st := range steps {
			st.sink.Add(g, Tags{}, st.v)
			time.Sleep(time.Millisecond)
			if !st.collect {
				continue
			}
			r.Collect()
			agg := r.Totals().Sum(g, Tags{})
			if agg.Last != st.wantLast || agg.Min != st.wantMin || agg.Max != st.wantMax {
				t.Errorf("step %d: vus last/min/max = %v/%v/%v, want %v/%v/%v", i,
					agg.Last, agg.Min, agg.Max, st.wantLast, st.wantMin, st.wantMax)
			}
		}
	})
}

func TestChecksAndTransactions(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	s := r.NewSink()
	base := NewTags("scenario", "shop")
	for i := range 10 {
		s.Check(base, "status is 200", true)
		s.Check(base, "has token", i < 7)
		s.Transaction(base, "login", time.Duration(100+i)*time.Millisecond, i != 3)
	}
	s.Transaction(Tags{}, "buy", 2*time.Second, true)
	r.Collect()
	tot := r.Totals()
	b := r.Builtins()

	checks := tot.GroupBy(b.Checks, TagCheck)
	if len(checks) != 2 || checks[0].Value != "has token" || checks[0].Trues != 7 || checks[0].Falses() != 3 ||
		checks[1].Value != "status is 200" || checks[1].Trues != 10 {
		t.Errorf("checks grouped = %+v", checks)
	}
	tx := tot.GroupBy(b.TransactionDuration, TagTransaction)
	if len(tx) != 2 || tx[0].Value != "buy" || tx[1].Value != "login" || tx[1].Count != 10 || tx[1].Min != 100 || tx[1].Max != 109 {
		t.Fatalf("transactions grouped = %+v", tx)
	}
	login := tot.Sum(b.Transactions, NewTags(TagTransaction, "login"))
	if login.Trues != 9 || login.Falses() != 1 {
		t.Errorf("transactions{transaction=login} = %d ✓ %d ✗", login.Trues, login.Falses())
	}
	if got := tot.Get(b.Checks, base.With(TagCheck, "has token")); got == nil || got.Count != 10 {
		t.Errorf("series checks{check=has token,scenario=shop} = %+v", got)
	}
	if got, want := s.Tagged(base, "point", "pay"), base.With("point", "pay"); got != want {
		t.Errorf("Tagged(%s, point, pay) = %s, want %s", base, got, want)
	}
}

func TestSinkAddDoesNotAllocate(t *testing.T) {
	r := NewRegistry()
	s := r.NewSink()
	b := r.Builtins()
	group := NewSeriesGroup(b.HTTPReqs, b.HTTPReqDuration, b.VUs, nil)
	tags := NewTags("method", "GET", "status", "200")
	tests := []struct {
		name string
		fn   func()
	}{
		{"counter", func() { s.Add(b.HTTPReqs, tags, 1) }},
		{"trend", func() { s.Add(b.HTTPReqDuration, tags, 12.5) }},
		{"rate", func() { s.AddBool(b.HTTPReqFailed, tags, false) }},
		{"gauge", func() { s.Add(b.VUs, Tags{}, 10) }},
		{"check", func() { s.Check(tags, "ok", true) }},
		{"transaction", func() { s.Transaction(tags, "login", time.Millisecond, true) }},
		{"tagged", func() { s.Tagged(tags, "point", "checkout") }},
		{"batch", func() {
			s.AddSamples(tags, Sample{b.HTTPReqs, 1}, Sample{b.HTTPReqDuration, 3}, Sample{b.VUs, 2}, Sample{nil, 1})
		}},
		{"group", func() { s.AddGroup(group, tags, 1, 3, 2, 1) }},
	}
	for _, tt := range tests {
		tt.fn() // create the series
		if n := testing.AllocsPerRun(1000, tt.fn); n != 0 {
			t.Errorf("%s: %v allocations per sample on an existing series, want 0", tt.name, n)
		}
	}
}

func TestHotStructsFillCacheLines(t *testing.T) {
	t.Parallel()
	// 128 bytes is a size class of 128-byte aligned objects: no false sharing
	// between shards, nor between series.
	if s, a := unsafe.Sizeof(shard{}), unsafe.Sizeof(Aggregate{}); s != 128 || a != 128 {
		t.Errorf("sizeof shard = %d, Aggregate = %d; adjust their padding to 128", s, a)
	}
}
