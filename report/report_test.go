package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/metrics"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture records a 3-second run with two groups, a transaction, checks and
// errors, and returns its export and series.
func fixture(t *testing.T) Input {
	t.Helper()
	r := metrics.NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	var buf bytes.Buffer
	series := metrics.NewSeriesOutput(&buf)
	for sec := 1; sec <= 3; sec++ {
		s.Add(b.VUs, metrics.Tags{}, 4)
		for i := range 20 {
			group := []string{"api", "web"}[i%2]
			tags := metrics.NewTags(metrics.TagGroup, group, "name", "home")
			s.Add(b.HTTPReqs, tags, 1)
			s.Add(b.HTTPReqDuration, tags, float64(10+i))
			s.AddBool(b.HTTPReqFailed, tags, i == 3)
			s.Check(metrics.NewTags(metrics.TagGroup, group), "<b>ok</b>", i != 5)
			s.Transaction(metrics.NewTags(metrics.TagGroup, group), "checkout", time.Duration(100+i)*time.Millisecond, true)
		}
		if err := series.AddInterval(r.CollectAt(t0.Add(time.Duration(sec) * time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	ths, err := metrics.ParseThresholds(map[string]any{"http_req_duration": "p(95)<25"})
	if err != nil {
		t.Fatal(err)
	}
	e := metrics.NewExport(r.Totals(), ths.Evaluate(r.Totals()))
	e.Test = "shop"
	e.Errors = []metrics.ExportError{metrics.NewExportError("Error: sold out at shop.js:12:3", 7)}
	points, err := metrics.ReadSeries(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Export: e, Series: points, Source: "results/shop/1"}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := Write(&out, fixture(t)); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	// Self-contained: no script, style sheet or image is loaded from elsewhere.
	if m := regexp.MustCompile(`<(script|link|img)[^>]+(src|href)=`).FindString(page); m != "" {
		t.Errorf("the page loads %s", m)
	}
	for _, want := range []string{"jsload report: shop", "uPlot", "✗ some thresholds failed", "p(95)&lt;25",
		"&lt;b&gt;ok&lt;/b&gt;", "shop.js:12:3", "Error: sold out", "checkout", "█ THRESHOLDS"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<b>ok</b>") {
		t.Errorf("a check name reached the page unescaped")
	}
	m := regexp.MustCompile(`window\.jsloadCharts = (.*);\n`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no chart data in the page")
	}
	var charts []chart
	if err := json.Unmarshal([]byte(m[1]), &charts); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range charts {
		ids = append(ids, c.ID)
		for i, col := range c.Data {
			if len(col) != 3 {
				t.Errorf("chart %s column %d has %d values, want one per second", c.ID, i, len(col))
			}
		}
	}
	want := "vus rps duration errors tx-checkout group-rate group-p95 group-errors"
	if strings.Join(ids, " ") != want {
		t.Errorf("charts %v, want %s", ids, want)
	}
	if rps := charts[1].Data[1][0]; rps != 20.0 {
		t.Errorf("requests per second of the first second %v, want 20", rps)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	in := fixture(t)
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "has no summary.json") {
		t.Errorf("Load of an empty folder: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "give a run folder") {
		t.Errorf("Load of nothing: %v", err)
	}
	if err := metrics.WriteExportFile(filepath.Join(dir, SummaryJSON), in.Export); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil || got.Series != nil || got.Export.Test != "shop" {
		t.Fatalf("Load without series: %+v, %v", got, err)
	}
	var lines []byte
	for _, p := range in.Series {
		b, _ := json.Marshal(p)
		lines = append(append(lines, b...), '\n')
	}
	if err := os.WriteFile(filepath.Join(dir, SeriesFile), lines, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err = Load(filepath.Join(dir, SummaryJSON)); err != nil || len(got.Series) != 3 {
		t.Fatalf("Load of the export with its series beside it: %d points, %v", len(got.Series), err)
	}
	path := filepath.Join(dir, HTMLFile)
	if err := WriteFile(path, got); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("report file: %v %v", st, err)
	}
}
