package metrics

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestSeriesOutput(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	var buf bytes.Buffer
	out := NewSeriesOutput(&buf)
	for sec := 1; sec <= 3; sec++ {
		s.Add(b.VUs, Tags{}, float64(sec))
		for i := range 10 * sec {
			tags := NewTags(TagGroup, "g1")
			if i%2 == 1 {
				tags = NewTags(TagGroup, "g2")
			}
			s.Add(b.HTTPReqs, tags, 1)
			s.Add(b.HTTPReqDuration, tags, float64(i))
			s.AddBool(b.HTTPReqFailed, tags, i == 0)
			s.Check(tags, "ok", i != 1)
		}
		s.Transaction(Tags{}, "buy", time.Duration(sec)*time.Second, sec != 2)
		if err := out.AddInterval(r.CollectAt(t0.Add(time.Duration(sec) * time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	points, err := ReadSeries(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 3 {
		t.Fatalf("%d points, want 3", len(points))
	}
	p := points[2]
	if p.Elapsed != 3 || p.Period != 1 || p.VUs != 3 || p.All.Requests != 30 || p.All.FailedReqs != 1 || p.All.FailedChecks != 1 {
		t.Errorf("third point %+v", p)
	}
	if d := p.All.Duration; d == nil || d.Count != 30 || d.Max != 29 || d.P50 < 14 || d.P50 > 15 {
		t.Errorf("third point's durations %+v", d)
	}
	if g := p.Groups["g2"]; g.Requests != 15 || g.FailedChecks != 1 || g.Duration.Max != 29 {
		t.Errorf("group g2 %+v", g)
	}
	if tx := points[1].Transactions["buy"]; tx.Count != 1 || tx.Failed != 1 || tx.Duration.P99 < 1990 || tx.Duration.P99 > 2010 {
		t.Errorf("transaction of the second point %+v", tx)
	}
	if err := out.AddInterval(r.Collect()); err != ErrOutputClosed {
		t.Errorf("AddInterval after Close: %v", err)
	}
}

func TestReadSeriesBadLines(t *testing.T) {
	t.Parallel()
	good := `{"elapsed":1,"all":{"reqs":2}}` + "\n"
	if p, err := ReadSeries(strings.NewReader(good + `{"elapsed":2,"al`)); err != nil || len(p) != 1 {
		t.Errorf("a last line cut short: %v, %v; want it ignored", p, err)
	}
	if _, err := ReadSeries(strings.NewReader("nope\n" + good)); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a bad first line: %v, want an error naming line 1", err)
	}
}
