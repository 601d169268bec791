package metrics

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func summaryText(t *testing.T, s *Snapshot, results []Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSummary(&buf, s, results); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	tot := runFixture(t).Totals()
	results := fixtureThresholds(t).Evaluate(tot)
	path := filepath.Join(t.TempDir(), "summary.json")
	if err := WriteExportFile(path, NewExport(tot, results)); err != nil {
		t.Fatal(err)
	}
	e, err := ReadExportFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Thresholds) != len(results) || e.Thresholds[0].Threshold != results[0].Threshold.Source {
		t.Errorf("thresholds in export = %+v", e.Thresholds)
	}
	back, err := e.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !back.Start.Equal(tot.Start) || !back.End.Equal(tot.End) {
		t.Errorf("period %v..%v, want %v..%v", back.Start, back.End, tot.Start, tot.End)
	}
	// Re-evaluating on the imported snapshot gives the same summary.
	again := fixtureThresholds(t).Evaluate(back)
	if got, want := summaryText(t, back, again), summaryText(t, tot, results); got != want {
		t.Errorf("summary after export round trip differs:\n%s\n--- want\n%s", got, want)
	}
}

func TestMergeExportsEqualsCombinedRun(t *testing.T) {
	t.Parallel()
	// Two segments of a run, each with one VU, and the same run in one process.
	segment := func(vus ...int) *Registry {
		r := NewRegistry()
		r.SetStart(t0)
		b := r.Builtins()
		for _, vu := range vus {
			s := r.NewSink()
			for i := range 1000 {
				tags := NewTags("vu", "x") // same series in every segment
				s.Add(b.HTTPReqDuration, tags, float64(vu*1000+i)*0.37)
				s.Add(b.HTTPReqs, tags, 1)
				s.AddBool(b.HTTPReqFailed, tags, (vu+i)%9 == 0)
				s.Check(Tags{}, "ok", i%5 != vu)
			}
			s.Close()
		}
		r.CollectAt(t0.Add(10 * time.Second))
		return r
	}
	a, b, both := segment(0), segment(1), segment(0, 1)
	merged, err := MergeExports(NewExport(a.Totals(), nil), NewExport(b.Totals(), nil))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := merged.Write(&buf); err != nil {
		t.Fatal(err)
	}
	reread, err := ReadExport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := reread.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summaryText(t, ms, nil), summaryText(t, both.Totals(), nil); got != want {
		t.Errorf("merged summary differs from the combined run:\n%s\n--- want\n%s", got, want)
	}
	m := ms.Metric("http_req_duration")
	if got, want := ms.Sum(m, Tags{}).Hist.Quantile(0.99), both.Totals().Sum(both.Builtins().HTTPReqDuration, Tags{}).Hist.Quantile(0.99); got != want {
		t.Errorf("merged p(99) = %v, combined %v", got, want)
	}
}

func TestMergeExportsErrors(t *testing.T) {
	t.Parallel()
	mk := func(typ Type) *Export {
		r := NewRegistry()
		m, err := r.Register("custom", typ, Default)
		if err != nil {
			t.Fatal(err)
		}
		s := r.NewSink()
		s.Add(m, Tags{}, 1)
		r.Collect()
		return NewExport(r.Totals(), nil)
	}
	tests := []struct {
		name    string
		exports []*Export
		want    string
	}{
		{"nothing", nil, "nothing to merge"},
		{"type clash", []*Export{mk(Counter), mk(Trend)}, `export 2: metric "custom": cannot merge a trend (default values) into a counter (default values)`},
		{"bad type", []*Export{{Version: 1, Metrics: []ExportMetric{{Name: "x", Type: "histogram"}}}}, `unknown metric type "histogram"`},
		{"trend without histogram", []*Export{{Version: 1, Metrics: []ExportMetric{{Name: "x", Type: "trend", Series: []ExportSeries{{Count: 3}}}}}}, "missing histogram"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := MergeExports(tt.exports...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("MergeExports error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadExportErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{`, "read summary export"},
		{`{"version":2}`, "version 2, want 1"},
		{`{"version":1,"metrics":[{"name":"r","type":"rate","series":[{"count":1,"trues":2}]}]}`, "trues 2 > count 1"},
		{`{"version":1,"metrics":[{"name":"t","type":"trend","series":[{"count":1,"histogram":{"scheme":"x"}}]}]}`, "scheme"},
	}
	for _, tt := range tests {
		if _, err := ReadExport(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadExport(%s) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestMergeSnapshotsOfIntervalsEqualsTotals(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	var generation *Snapshot
	for sec := range 5 {
		for i := range 20 {
			s.Add(b.Iterations, Tags{}, 1)
			s.Add(b.HTTPReqs, Tags{}, 2)
			s.Add(b.HTTPReqDuration, Tags{}, float64(sec*20+i))
			if i == 0 {
				s.Add(b.IterationsFailed, Tags{}, 1)
			}
		}
		generation, _ = MergeSnapshots(generation, r.CollectAt(t0.Add(time.Duration(sec+1)*time.Second)))
	}
	got, want := CompactSummary(generation), CompactSummary(r.Totals())
	if got != want || !strings.HasPrefix(got, "iterations=100 failed=5 reqs=200 p95=") {
		t.Errorf("merged intervals: %q, totals: %q", got, want)
	}
	if generation.Elapsed() != 5*time.Second {
		t.Errorf("merged intervals cover %v, want 5s", generation.Elapsed())
	}
}

func TestMergeSnapshotsTypeClash(t *testing.T) {
	t.Parallel()
	mk := func(typ Type, v float64) *Snapshot {
		r := NewRegistry()
		r.SetStart(t0)
		m, err := r.Register("custom", typ, Default)
		if err != nil {
			t.Fatal(err)
		}
		s := r.NewSink()
		s.Add(m, Tags{}, v)
		s.Add(r.Builtins().Iterations, Tags{}, 1)
		return r.CollectAt(t0.Add(time.Second))
	}
	counter, trend := mk(Counter, 5), mk(Trend, 7)
	got, err := MergeSnapshots(counter, trend)
	if err == nil || err.Error() != `metric "custom": cannot merge a trend (default values) into a counter (default values)` {
		t.Errorf("MergeSnapshots(counter, trend) error = %v", err)
	}
	// a's definition is kept and b's clashing series are left out.
	m := got.Metric("custom")
	if m.Type() != Counter || got.Sum(m, Tags{}).Sum != 5 || got.Sum(m, Tags{}).Count != 1 {
		t.Errorf("merged custom = %s %+v, want the counter alone", m.Type(), got.Sum(m, Tags{}))
	}
	if it := got.Metric("iterations"); got.Sum(it, Tags{}).Sum != 2 {
		t.Errorf("merged iterations = %v, want 2", got.Sum(it, Tags{}).Sum)
	}
}

func TestMergeSnapshotsLeavesInputsAlone(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	custom, _ := r.Register("custom", Trend, Default)
	login, browse := NewTags("name", "login"), NewTags("name", "browse")
	s.Add(b.HTTPReqDuration, login, 10)
	s.Add(b.HTTPReqDuration, browse, 20)
	first := r.CollectAt(t0.Add(time.Second))
	s.Add(b.HTTPReqDuration, login, 30)
	s.Add(custom, Tags{}, 1) // a series first has not
	second := r.CollectAt(t0.Add(2 * time.Second))

	merged, err := MergeSnapshots(first, second)
	if err != nil {
		t.Fatal(err)
	}
	if a := first.Get(b.HTTPReqDuration, login); a.Count != 1 || a.Hist.Count() != 1 || a.Max != 10 {
		t.Errorf("first's login series changed: %+v", a)
	}
	if a := merged.Get(b.HTTPReqDuration, login); a.Count != 2 || a.Hist.Count() != 2 || a.Max != 30 {
		t.Errorf("merged login series = %+v, want 2 samples up to 30", a)
	}
	if merged.Get(b.HTTPReqDuration, browse) != first.Get(b.HTTPReqDuration, browse) {
		t.Errorf("a series only first has was copied, want it shared")
	}
	var names []string
	for _, a := range merged.Series() {
		names = append(names, a.Metric.Name()+"{"+a.Tags.String()+"}")
	}
	want := "custom{} http_req_duration{name=browse} http_req_duration{name=login}"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("merged series = %s, want %s", got, want)
	}
	// The totals are built the same way.
	if got, want := r.Totals().Get(b.HTTPReqDuration, login).Count, uint64(2); got != want {
		t.Errorf("totals login count = %d, want %d", got, want)
	}
}
