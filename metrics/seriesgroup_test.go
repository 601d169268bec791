package metrics

import (
	"math"
	"testing"
)

// TestSeriesGroup: values recorded through AddGroup land in the same series as
// the ones recorded one by one, across drains, buffer flushes and forgetting.
func TestSeriesGroup(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	b := r.Builtins()
	group := NewSeriesGroup(b.HTTPReqs, nil, b.HTTPReqDuration, b.HTTPReqFailed)
	s := r.NewSink()
	get, post := NewTags("method", "GET"), NewTags("method", "POST")
	nan := math.NaN()
	steps := []struct {
		tags   Tags
		values []float64
		single bool // record through Add instead, into the same series
	}{
		{get, []float64{1, 99, 10, 0}, false},
		{get, []float64{1, 99, 20, 1}, false},
		{post, []float64{1, 99, 5, 1, 99}, false}, // the extra value is ignored
		{get, []float64{1, 0, 30, 0}, true},
		{get, []float64{1, 0, nan}, false}, // NaN ignored, no failed sample
		{post, []float64{1}, false},
	}
	want := map[Tags]struct{ reqs, durs, fails, trues uint64 }{}
	for i, st := range steps {
		if st.single {
			s.Add(b.HTTPReqs, st.tags, st.values[0])
			s.Add(b.HTTPReqDuration, st.tags, st.values[2])
			s.Add(b.HTTPReqFailed, st.tags, st.values[3])
		} else {
			s.AddGroup(group, st.tags, st.values...)
		}
		w := want[st.tags]
		w.reqs++
		if len(st.values) > 2 && !math.IsNaN(st.values[2]) {
			w.durs++
		}
		if len(st.values) > 3 {
			w.fails++
			if st.values[3] != 0 {
				w.trues++
			}
		}
		want[st.tags] = w
		if i%2 == 1 {
			r.Collect() // drains the sink: groups must keep landing in live series
		}
	}
	for i := range 3*pendingRecords + 5 { // more than the sink buffers between two drains
		tags := []Tags{get, post}[i%2]
		s.AddGroup(group, tags, 1, 0, 2, 1)
		w := want[tags]
		w.reqs, w.durs, w.fails, w.trues = w.reqs+1, w.durs+1, w.fails+1, w.trues+1
		want[tags] = w
	}
	r.Collect()
	r.Collect() // idle: the series and the groups are forgotten
	s.sh.mu.Lock()
	if len(s.sh.series) != 0 || len(s.sh.groups) != 0 {
		t.Errorf("idle shard holds %d series and %d groups", len(s.sh.series), len(s.sh.groups))
	}
	s.sh.mu.Unlock()
	s.AddGroup(group, get, 1, 0, 1, 0) // after being forgotten
	want[get] = struct{ reqs, durs, fails, trues uint64 }{want[get].reqs + 1, want[get].durs + 1, want[get].fails + 1, want[get].trues}
	s.Close()
	s.AddGroup(group, get, 1, 0, 1, 0) // discarded
	r.Collect()
	tot := r.Totals()
	for tags, w := range want {
		reqs, durs, fails := tot.Sum(b.HTTPReqs, tags), tot.Sum(b.HTTPReqDuration, tags), tot.Sum(b.HTTPReqFailed, tags)
		if uint64(reqs.Sum) != w.reqs || durs.Count != w.durs || fails.Count != w.fails || fails.Trues != w.trues {
			t.Errorf("%v: http_reqs %v, durations %d, failed %d/%d; want %d, %d, %d/%d", tags,
				reqs.Sum, durs.Count, fails.Trues, fails.Count, w.reqs, w.durs, w.trues, w.fails)
		}
	}
}
