package metrics

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Marks used by the summary. Plain UTF-8, no colours: the summary is the same
// on a terminal, in a file and in CI logs.
const (
	markPass   = "✓"
	markFail   = "✗"
	markNoData = "?" // a threshold without data, see Result.NoData
)

// Row groups: rows of one group align their value columns.
const (
	groupScalar = iota
	groupTrend
)

// summaryRow is one "label....: values" line.
type summaryRow struct {
	mark   string // markPass, markFail or " "
	indent int
	label  string
	group  int
	cols   []string
}

type summarySection struct {
	title string
	rows  []summaryRow
}

// WriteSummary writes the end-of-test summary of s (normally Registry.Totals())
// in plain text to w, k6 style:
//
//   - THRESHOLDS: each threshold with ✓/✗ and the value observed;
//   - CHECKS: one line per check: rate, ✓ passes, ✗ failures;
//   - TRANSACTIONS: one line per transaction: duration stats, ✓ passed, ✗ failed;
//   - METRICS: every metric with samples or thresholds, sorted by name, marked ✓/✗
//     when it has thresholds, with the sub-metrics named by thresholds under it.
//     Counter: count and rate per second; Rate: percentage, ✓ trues, ✗ falses;
//     Gauge: value, min, max; Trend: avg min med p(90) p(95) p(99) max.
//
// results come from Thresholds.Evaluate(s) and may be nil. A run with
// several VU groups also gets a section per group (see WriteSummaryWith).
func WriteSummary(w io.Writer, s *Snapshot, results []Result) error {
	return WriteSummaryWith(w, s, results, SummaryOptions{})
}

// SummaryOptions choose the optional sections of the summary.
type SummaryOptions struct {
	// ByTags lists tag keys (e.g. "name", "status") that get a section each:
	// the main metrics broken down by the key's values.
	ByTags []string
	// TrendStats are the columns of the trends (k6's summaryTrendStats):
	// avg, min, med, max, count, p(N); nil: avg min med p(90) p(95) p(99) max.
	TrendStats []string
	// TimeUnit shows every time in "s", "ms" or "us" (k6's
	// summaryTimeUnit); "": each in the unit that suits it.
	TimeUnit string
}

// WriteSummaryWith is WriteSummary with options: after TRANSACTIONS, a
// "GROUP name" section per VU group when the run has more than one (see
// groupSections), then a "BY key" section per tag key of o.ByTags.
func WriteSummaryWith(w io.Writer, s *Snapshot, results []Result, o SummaryOptions) error {
	bw := bufio.NewWriter(w)
	writeThresholds(bw, s, results)
	st := &o
	sections := []summarySection{
		{"CHECKS", checkRows(s, st)},
		{"TRANSACTIONS", transactionRows(s, st)},
	}
	sections = append(sections, groupSections(s, st)...)
	sections = append(sections, tagSections(s, o.ByTags, st)...)
	sections = append(sections, summarySection{"METRICS", metricRows(s, results, st)})
	if !writeSections(bw, sections) && len(results) == 0 {
		bw.WriteString("  no metrics were collected\n")
	}
	return bw.Flush()
}

func writeThresholds(w *bufio.Writer, s *Snapshot, results []Result) {
	if len(results) == 0 {
		return
	}
	w.WriteString("  █ THRESHOLDS\n")
	key := ""
	for i, r := range results {
		if i == 0 || r.Key != key {
			key = r.Key
			fmt.Fprintf(w, "\n    %s\n", key)
		}
		if r.NoData {
			fmt.Fprintf(w, "    %s '%s' no data\n", markNoData, r.Threshold.Source)
			continue
		}
		fmt.Fprintf(w, "    %s '%s' %s=%s\n", passMark(r.Passed), r.Threshold.Source,
			r.Threshold.Stat, formatStat(s.Metric(r.Metric), r.Threshold.Stat, r.Observed))
	}
	if n := len(NoData(results)); n > 0 {
		fmt.Fprintf(w, "\n    %s %d %s had no data: %s not evaluated, not failed (no sample of the metric)\n",
			markNoData, n, choose(n, "threshold", "thresholds"), choose(n, "it was", "they were"))
	}
	w.WriteString("\n")
}

// choose returns one when n is 1, else many.
func choose(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// formatStat renders a threshold's observed value in the metric's unit.
func formatStat(m *Metric, st Stat, v float64) string {
	switch {
	case m == nil:
		return formatNumber(v)
	case st.Kind == StatRate && m.typ == Rate:
		return formatPercent(v)
	case st.Kind == StatRate:
		return formatPerSecond(m, v)
	}
	return formatValue(m, v)
}

func passMark(ok bool) string {
	if ok {
		return markPass
	}
	return markFail
}

func checkRows(s *Snapshot, st *SummaryOptions) []summaryRow {
	m := s.Metric("checks")
	if m == nil {
		return nil
	}
	var rows []summaryRow
	for _, g := range s.GroupBy(m, TagCheck) {
		rows = append(rows, summaryRow{mark: passMark(g.Falses() == 0), label: g.Value, cols: aggregateCols(g.Aggregate, s, st)})
	}
	return rows
}

func transactionRows(s *Snapshot, st *SummaryOptions) []summaryRow {
	dur, outcome := s.Metric("transaction_duration"), s.Metric("transactions")
	if dur == nil {
		return nil
	}
	var rows []summaryRow
	for _, g := range s.GroupBy(dur, TagTransaction) {
		row := summaryRow{mark: " ", label: g.Value, group: groupTrend, cols: aggregateCols(g.Aggregate, s, st)}
		if outcome != nil {
			o := s.Sum(outcome, g.Tags)
			row.mark = passMark(o.Falses() == 0)
			row.cols = append(row.cols, markPass+" "+fmt.Sprint(o.Trues), markFail+" "+fmt.Sprint(o.Falses()))
		}
		rows = append(rows, row)
	}
	return rows
}

func metricRows(s *Snapshot, results []Result, st *SummaryOptions) []summaryRow {
	var rows []summaryRow
	for _, m := range s.Metrics() {
		series := s.SeriesOf(m)
		thresholded := false
		for _, r := range results {
			thresholded = thresholded || r.Metric == m.name
		}
		if len(series) == 0 && !thresholded {
			continue
		}
		total := s.Sum(m, Tags{})
		rows = append(rows, summaryRow{mark: resultMark(results, m.name, ""), label: m.name,
			group: groupOf(m), cols: aggregateCols(total, s, st)})
		seen := map[string]bool{}
		for _, r := range results {
			if r.Metric != m.name || r.Filter.IsEmpty() || seen[r.Key] {
				continue
			}
			seen[r.Key] = true
			sub := s.Sum(m, r.Filter)
			rows = append(rows, summaryRow{mark: resultMark(results, m.name, r.Key), indent: 2,
				label: "{ " + strings.ReplaceAll(r.Filter.filterString(), ",", ", ") + " }",
				group: groupOf(m), cols: aggregateCols(sub, s, st)})
		}
	}
	return rows
}

// resultMark returns ✗ if a threshold of key (or, with key "", of the metric
// itself without filter) failed, ✓ if all passed, " " if there are none.
func resultMark(results []Result, metric, key string) string {
	mark := " "
	for _, r := range results {
		if r.Metric != metric || (key == "" && !r.Filter.IsEmpty()) || (key != "" && r.Key != key) {
			continue
		}
		switch {
		case !r.Passed:
			return markFail
		case r.NoData:
			mark = markNoData
		case mark == " ":
			mark = markPass
		}
	}
	return mark
}

func groupOf(m *Metric) int {
	if m.typ == Trend {
		return groupTrend
	}
	return groupScalar
}

// aggregateCols renders an aggregate's stats as value columns.
func aggregateCols(a *Aggregate, s *Snapshot, st *SummaryOptions) []string {
	m := a.Metric
	value := func(v float64) string { return formatValueIn(m, v, st.TimeUnit) }
	switch m.typ {
	case Counter:
		cols := []string{value(a.Sum)}
		// A rate over less than a second says more about the rounding of
		// the run's length than about the load.
		if el := s.Elapsed(); el >= time.Second {
			cols = append(cols, formatPerSecond(m, a.Sum/el.Seconds()))
		}
		return cols
	case Gauge:
		return []string{value(a.Last), "min=" + value(a.Min), "max=" + value(a.Max)}
	case Rate:
		return []string{formatPercent(a.Rate()), markPass + " " + fmt.Sprint(a.Trues), markFail + " " + fmt.Sprint(a.Falses())}
	}
	stats := st.TrendStats
	if len(stats) == 0 {
		stats = defaultTrendStats
	}
	cols := make([]string, len(stats))
	for i, name := range stats {
		cols[i] = name + "=" + trendStat(a, name, value)
	}
	return cols
}

// defaultTrendStats are the trend columns of the summary without summaryTrendStats.
var defaultTrendStats = []string{"avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"}

// trendStat renders the stat of a trend named name (avg, min, med, max,
// count, p(N)), its value through value; an unknown name shows "?" (the options
// are checked before a test starts).
func trendStat(a *Aggregate, name string, value func(float64) string) string {
	switch name {
	case "avg":
		return value(a.Avg())
	case "min":
		return value(a.Min)
	case "med":
		return value(a.Percentile(50))
	case "max":
		return value(a.Max)
	case "count":
		return formatNumber(float64(a.Count))
	}
	if p, ok := strings.CutPrefix(name, "p("); ok {
		if f, err := strconv.ParseFloat(strings.TrimSuffix(p, ")"), 64); err == nil {
			return value(a.Percentile(f))
		}
	}
	return "?"
}

// writeSections renders the non-empty sections with one label width and one
// set of column widths per row group, so that all values line up. It reports
// whether it wrote anything.
func writeSections(w *bufio.Writer, sections []summarySection) (wrote bool) {
	labelWidth := 0
	colWidth := map[[2]int]int{}
	for _, sec := range sections {
		for _, r := range sec.rows {
			if r.cols == nil {
				continue
			}
			labelWidth = max(labelWidth, r.indent+utf8.RuneCountInString(r.label))
			for i, c := range r.cols[:max(len(r.cols)-1, 0)] {
				k := [2]int{r.group, i}
				colWidth[k] = max(colWidth[k], utf8.RuneCountInString(c))
			}
		}
	}
	labelWidth += 2
	for _, sec := range sections {
		if len(sec.rows) == 0 {
			continue
		}
		wrote = true
		fmt.Fprintf(w, "  █ %s\n\n", sec.title)
		for _, r := range sec.rows {
			if r.cols == nil { // a note, not a value
				fmt.Fprintf(w, "  %s %s%s\n", r.mark, strings.Repeat(" ", r.indent), r.label)
				continue
			}
			used := r.indent + utf8.RuneCountInString(r.label)
			fmt.Fprintf(w, "  %s %s%s%s: ", r.mark, strings.Repeat(" ", r.indent), r.label, strings.Repeat(".", labelWidth-used))
			for i, c := range r.cols {
				w.WriteString(c)
				if i < len(r.cols)-1 {
					pad := colWidth[[2]int{r.group, i}] - utf8.RuneCountInString(c)
					w.WriteString(strings.Repeat(" ", pad+1))
				}
			}
			w.WriteString("\n")
		}
		w.WriteString("\n")
	}
	return wrote
}

// CompactSummary returns a one-line summary of s, for reports between hot
// reload generations: "iterations=120 failed=2 reqs=480 p95=12.3ms" (p95 of
// http_req_duration; "-" without requests).
func CompactSummary(s *Snapshot) string {
	sum := func(name string) *Aggregate {
		if m := s.Metric(name); m != nil {
			return s.Sum(m, Tags{})
		}
		return &Aggregate{}
	}
	p95 := "-"
	if d := sum("http_req_duration"); d.Count > 0 {
		p95 = formatDuration(d.Percentile(95))
	}
	return fmt.Sprintf("iterations=%s failed=%s reqs=%s p95=%s",
		formatNumber(sum("iterations").Sum), formatNumber(sum("iterations_failed").Sum),
		formatNumber(sum("http_reqs").Sum), p95)
}
