package report

import (
	"bytes"
	_ "embed" // the page's template, script, style and uPlot
	"encoding/json"
	"fmt"
	"html/template"
	"time"

	"github.com/jsload/jsload/metrics"
)

var (
	//go:embed page.html
	pageHTML string
	//go:embed page.js
	pageJS string
	//go:embed page.css
	pageCSS string
	//go:embed uplot/uPlot.iife.min.js
	uplotJS string
	//go:embed uplot/uPlot.min.css
	uplotCSS string

	pageTemplate = template.Must(template.New("report").Parse(pageHTML))
)

// page is what page.html renders.
type page struct {
	Title, Test, Source  string
	Start, End, Duration string
	Passed               bool // every threshold passed (true without thresholds)
	Thresholds           []thresholdRow
	Checks               []checkRow
	Transactions         []trendRow
	Groups               []groupRow
	Errors               []metrics.ErrorGroup
	ErrorTotal           int
	Summary              string // the text summary
	NoSeries             bool   // the input had no series: no plots
	Charts               template.JS
	Script, UPlot        template.JS
	Style, UPlotStyle    template.CSS
	UPlotVersion         string
}

type thresholdRow struct {
	Metric, Threshold, Observed string
	Passed                      bool
}

type checkRow struct {
	Name           string
	Passes, Fails  uint64
	Rate           string
	AllPassed      bool
	FailedFraction float64
}

type trendRow struct {
	Name                         string
	Count                        uint64
	Avg, P50, P90, P95, P99, Max string
	Passed, Failed               uint64
	HasOutcome                   bool
	FailedFraction               float64
}

type groupRow struct {
	Name                     string
	Requests, Iterations     string
	RequestRate, Failed, P95 string
	ChecksFailed             uint64
}

func newPage(in Input) (*page, error) {
	e := in.Export
	s, err := e.Snapshot()
	if err != nil {
		return nil, err
	}
	results, err := e.Results()
	if err != nil {
		return nil, err
	}
	var summary bytes.Buffer
	if err := metrics.WriteSummary(&summary, s, results); err != nil {
		return nil, err
	}
	charts, err := json.Marshal(buildCharts(in.Series))
	if err != nil {
		return nil, err
	}
	p := &page{
		Test: e.Test, Source: in.Source, Passed: !metrics.Failed(results),
		Start: e.Start.Local().Format("2006-01-02 15:04:05 MST"), End: e.End.Local().Format("15:04:05"),
		Duration: e.End.Sub(e.Start).Round(time.Millisecond).String(),
		Summary:  summary.String(), NoSeries: len(in.Series) == 0,
		Charts: template.JS(charts), Script: template.JS(pageJS), UPlot: template.JS(uplotJS),
		Style: template.CSS(pageCSS), UPlotStyle: template.CSS(uplotCSS), UPlotVersion: uplotVersion,
		Errors: metrics.GroupErrors(e.Errors),
	}
	p.Title = "jsload report"
	if e.Test != "" {
		p.Title = "jsload report: " + e.Test
	}
	for _, g := range p.Errors {
		p.ErrorTotal += g.Count
	}
	for _, r := range results {
		p.Thresholds = append(p.Thresholds, thresholdRow{r.Key, r.Threshold.Source, metrics.FormatObserved(s, r), r.Passed})
	}
	p.Checks = checkRows(s)
	p.Transactions = transactionRows(s)
	p.Groups = groupRows(s)
	return p, nil
}

func checkRows(s *metrics.Snapshot) []checkRow {
	m := s.Metric("checks")
	if m == nil {
		return nil
	}
	var rows []checkRow
	for _, g := range s.GroupBy(m, metrics.TagCheck) {
		rows = append(rows, checkRow{Name: g.Value, Passes: g.Trues, Fails: g.Falses(),
			Rate: fmt.Sprintf("%.2f%%", g.Rate()*100), AllPassed: g.Falses() == 0, FailedFraction: 1 - g.Rate()})
	}
	return rows
}

func transactionRows(s *metrics.Snapshot) []trendRow {
	dur, outcome := s.Metric("transaction_duration"), s.Metric("transactions")
	if dur == nil {
		return nil
	}
	var rows []trendRow
	for _, g := range s.GroupBy(dur, metrics.TagTransaction) {
		f := func(v float64) string { return metrics.FormatValue(dur, v) }
		row := trendRow{Name: g.Value, Count: g.Count, Avg: f(g.Avg()), P50: f(g.Percentile(50)), P90: f(g.Percentile(90)),
			P95: f(g.Percentile(95)), P99: f(g.Percentile(99)), Max: f(g.Max)}
		if outcome != nil {
			o := s.Sum(outcome, g.Tags)
			row.HasOutcome, row.Passed, row.Failed, row.FailedFraction = true, o.Trues, o.Falses(), 1-o.Rate()
		}
		rows = append(rows, row)
	}
	return rows
}

func groupRows(s *metrics.Snapshot) []groupRow {
	var rows []groupRow
	sum := func(name string, filter metrics.Tags) (*metrics.Metric, *metrics.Aggregate) {
		m := s.Metric(name)
		if m == nil {
			return nil, &metrics.Aggregate{}
		}
		return m, s.Sum(m, filter)
	}
	secs := s.Elapsed().Seconds()
	for _, g := range metrics.RunGroups(s) {
		filter := metrics.NewTags(metrics.TagGroup, g)
		_, reqs := sum("http_reqs", filter)
		_, iters := sum("iterations", filter)
		_, failed := sum("http_req_failed", filter)
		_, checks := sum("checks", filter)
		dm, dur := sum("http_req_duration", filter)
		row := groupRow{Name: g, Requests: fmt.Sprint(reqs.Sum), Iterations: fmt.Sprint(iters.Sum),
			Failed: fmt.Sprintf("%.2f%%", failed.Rate()*100), ChecksFailed: checks.Falses(), P95: "-", RequestRate: "-"}
		if dm != nil && dur.Count > 0 {
			row.P95 = metrics.FormatValue(dm, dur.Percentile(95))
		}
		if secs >= 1 {
			row.RequestRate = fmt.Sprintf("%.2f/s", reqs.Sum/secs)
		}
		rows = append(rows, row)
	}
	return rows
}
