package metrics

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runFixture records a small deterministic run: 30 s, two VUs, HTTP requests
// in two transactions, checks, a custom trend, counter, rate and gauge.
func runFixture(t *testing.T) *Registry {
	t.Helper()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	cart, err := r.Register("cart_size", Trend, Default)
	if err != nil {
		t.Fatal(err)
	}
	errorsCounter, _ := r.Register("errors", Counter, Default)
	cacheHit, _ := r.Register("cache_hit", Rate, Default)
	queue, _ := r.Register("queue_depth", Gauge, Default)
	for vu := range 2 {
		s := r.NewSink()
		s.Add(b.VUs, Tags{}, float64(vu+1))
		s.Add(b.VUsMax, Tags{}, 2)
		for i := range 50 {
			login := NewTags("transaction", "login", "status", "200", "method", "POST")
			browse := NewTags("transaction", "browse", "status", "200", "method", "GET")
			if i%10 == 9 {
				browse = browse.With("status", "500")
			}
			s.Add(b.HTTPReqDuration, login, 80+float64(i))
			s.Add(b.HTTPReqDuration, browse, 0.85+float64(i*i)*0.5)
			s.Add(b.HTTPReqWaiting, login, 70+float64(i))
			s.Add(b.HTTPReqs, login, 1)
			s.Add(b.HTTPReqs, browse, 1)
			s.AddBool(b.HTTPReqFailed, login, false)
			s.AddBool(b.HTTPReqFailed, browse, i%10 == 9)
			s.Add(b.DataSent, Tags{}, 350)
			s.Add(b.DataReceived, Tags{}, 12_000)
			s.Check(Tags{}, "status is 200", i%10 != 9)
			s.Check(Tags{}, "body has token", true)
			s.Transaction(Tags{}, "login", time.Duration(120+i)*time.Millisecond, true)
			s.Transaction(Tags{}, "browse", time.Duration(1500+i*40)*time.Millisecond, i%10 != 9)
			s.Add(b.Iterations, Tags{}, 1)
			s.Add(b.IterationDuration, Tags{}, 1800+float64(i)*20)
			s.Add(cart, Tags{}, float64(i%7))
			s.AddBool(cacheHit, Tags{}, i%3 == 0)
			s.Add(queue, Tags{}, float64(i%5))
			if i%10 == 9 {
				s.Add(b.IterationsFailed, Tags{}, 1)
				s.Add(errorsCounter, Tags{}, 1)
			}
		}
		s.Close()
	}
	r.CollectAt(t0.Add(30 * time.Second))
	return r
}

func fixtureThresholds(t *testing.T) Thresholds {
	t.Helper()
	ts, err := ParseThresholds(decode(t, `{
		"http_req_duration": ["p(95)<1500", "avg<100"],
		"http_req_duration{transaction:login}": "p(95)<200",
		"http_req_duration{transaction:browse,status:500}": "max<1000",
		"http_req_failed": {"threshold": "rate<0.1", "abortOnFail": true},
		"checks": "rate>0.9",
		"iterations": "count>=100",
		"no_such_metric": "count>1"
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// groupsFixture records a run of two VU groups, with requests named by the
// tag name, lasting d.
func groupsFixture(t *testing.T, d time.Duration) *Registry {
	t.Helper()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	s.Add(b.VUs, Tags{}, 3)
	s.Add(b.HTTPReqs, NewTags(TagGroup, setupGroup, "name", "login"), 1)
	for i := range 30 {
		group, name := "browse", fmt.Sprintf("page%d", i%3)
		if i%3 == 2 {
			group, name = "api", "quote"
		}
		tags := NewTags(TagGroup, group, "name", name, "status", "200")
		s.Add(b.HTTPReqs, tags, 1)
		s.Add(b.HTTPReqDuration, tags, 10+float64(i))
		s.Add(b.HTTPReqWaiting, tags, 8+float64(i))
		s.AddBool(b.HTTPReqFailed, tags, i%10 == 0)
		s.Check(NewTags(TagGroup, group), "ok", i%10 != 0)
		s.Add(b.Iterations, NewTags(TagGroup, group), 1)
		s.Add(b.IterationDuration, NewTags(TagGroup, group), 100+float64(i))
	}
	s.Close()
	r.CollectAt(t0.Add(d))
	return r
}

func TestWriteSummaryGolden(t *testing.T) {
	t.Parallel()
	full := runFixture(t)
	groups := groupsFixture(t, 10*time.Second)
	tests := []struct {
		name       string
		snap       *Snapshot
		thresholds bool
		opts       SummaryOptions
	}{
		{"summary_full", full.Totals(), true, SummaryOptions{}},
		{"summary_no_thresholds", full.Totals(), false, SummaryOptions{}},
		{"summary_empty", NewRegistry().Totals(), false, SummaryOptions{}},
		{"summary_groups", groups.Totals(), false, SummaryOptions{}},
		{"summary_by_tag", groups.Totals(), false, SummaryOptions{ByTags: []string{"name", "nosuchtag"}}},
		{"summary_short_run", groupsFixture(t, 300*time.Millisecond).Totals(), false, SummaryOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var results []Result
			if tt.thresholds {
				results = fixtureThresholds(t).Evaluate(tt.snap)
			}
			var buf bytes.Buffer
			if err := WriteSummaryWith(&buf, tt.snap, results, tt.opts); err != nil {
				t.Fatalf("WriteSummary: %v", err)
			}
			if strings.Contains(buf.String(), "\x1b") {
				t.Errorf("summary contains ANSI escapes")
			}
			golden(t, filepath.Join("testdata", tt.name+".golden"), buf.Bytes())
		})
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestCompactSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		snap *Snapshot
		want string
	}{
		{"run", runFixture(t).Totals(), "iterations=100 failed=10 reqs=200 p95="},
		{"empty", NewRegistry().Totals(), "iterations=0 failed=0 reqs=0 p95=-"},
	}
	for _, tt := range tests {
		got := CompactSummary(tt.snap)
		if !strings.HasPrefix(got, tt.want) || strings.Contains(got, "\n") {
			t.Errorf("%s: CompactSummary = %q, want prefix %q", tt.name, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	counter, data := &Metric{name: "errors", typ: Counter}, &Metric{name: "data_sent", typ: Counter, contains: Data}
	tests := []struct {
		got, want string
	}{
		{formatDuration(1.234), "1.23ms"},
		{formatDuration(2500), "2.5s"},
		{formatDuration(0.85), "850µs"},
		{formatDuration(0.0123456), "12.35µs"},
		{formatDuration(0), "0s"},
		{formatDuration(62_000), "1m2s"},
		{formatDuration(0.0000005), "0s"},
		{formatBytes(512), "512 B"},
		{formatBytes(1234), "1.2 kB"},
		{formatBytes(85_000_000), "85 MB"},
		{formatNumber(3), "3"},
		{formatNumber(12.5), "12.5"},
		{formatNumber(2.345), "2.35"},
		{formatNumber(0.001234), "0.001234"},
		{formatPercent(0.975), "97.50%"},
		// A counter's rate reads the same in its threshold line and its row.
		{formatStat(counter, Stat{Kind: StatRate}, 1.0/3), "0.33/s"},
		{formatPerSecond(counter, 1.0/3), "0.33/s"},
		{formatStat(data, Stat{Kind: StatRate}, 40_000), "40 kB/s"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
