package metrics

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"time"
)

// SummaryTrendStats are the stats of a Trend in the summary data, k6's
// default set plus p(99), which jsload's summary also shows.
var SummaryTrendStats = []string{"avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"}

// SummaryState is what the summary data says of the run besides its metrics.
type SummaryState struct {
	IsStdOutTTY, IsStdErrTTY bool
	TestRunDuration          time.Duration
	TestName, RunPath        string
	RunNumber                int
	Errors                   []ExportError
	// Text is jsload's own end-of-test summary, as it would have been printed.
	Text string
}

// SummaryData returns the argument of a script's handleSummary(data), as JSON,
// shaped as k6's so that k6 users' summary code works:
//
//	{
//	  root_group: { name: '', path: '', id, groups: [], checks: [{ name, path, id, passes, fails }] },
//	  options:    { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'], summaryTimeUnit: '', noColor },
//	  state:      { isStdOutTTY, isStdErrTTY, testRunDurationMs },
//	  metrics: {
//	    <name or threshold key such as 'http_req_duration{transaction:login}'>: {
//	      type: 'counter' | 'gauge' | 'rate' | 'trend', contains: 'default' | 'time' | 'data',
//	      values: counter { count, rate } · gauge { value, min, max } · rate { rate, passes, fails }
//	              · trend { avg, min, med, max, 'p(90)', 'p(95)', 'p(99)' } (ms for time),
//	      thresholds: { '<expression>': { ok } },   // only with thresholds
//	    }, ...
//	  },
//	  // jsload's own:
//	  groups:       { <VU group>: { metrics: { ... as above ... } } },
//	  transactions: { <name>: { count, passes, fails, values: { avg, min, med, ... } } },
//	  errors:       [{ location, message, count }],
//	  testName, runNumber, runPath,
//	  summaryText,  // jsload's summary as it would have been printed: return { stdout: data.summaryText } to keep it
//	}
//
// root_group has jsload's checks; its groups are empty (jsload has no group()
// blocks; its VU groups are under groups).
func SummaryData(s *Snapshot, results []Result, st SummaryState) ([]byte, error) {
	data := map[string]any{
		"root_group": rootGroup(s),
		"options": map[string]any{
			"summaryTrendStats": SummaryTrendStats, "summaryTimeUnit": "", "noColor": !st.IsStdOutTTY,
		},
		"state": map[string]any{
			"isStdOutTTY": st.IsStdOutTTY, "isStdErrTTY": st.IsStdErrTTY,
			"testRunDurationMs": float64(st.TestRunDuration) / float64(time.Millisecond),
		},
		"metrics":      summaryMetrics(s, Tags{}, results),
		"groups":       summaryGroups(s),
		"transactions": summaryTransactions(s),
		"errors":       append([]ExportError{}, st.Errors...),
		"testName":     st.TestName,
		"runNumber":    st.RunNumber,
		"runPath":      st.RunPath,
		"summaryText":  st.Text,
	}
	return json.Marshal(data)
}

// k6ID is how k6 identifies groups and checks: the MD5 of their path.
func k6ID(path string) string {
	sum := md5.Sum([]byte(path))
	return hex.EncodeToString(sum[:])
}

func rootGroup(s *Snapshot) map[string]any {
	checks := []map[string]any{}
	if m := s.Metric("checks"); m != nil {
		for _, g := range s.GroupBy(m, TagCheck) {
			path := "::" + g.Value
			checks = append(checks, map[string]any{"name": g.Value, "path": path, "id": k6ID(path),
				"passes": g.Trues, "fails": g.Falses()})
		}
	}
	return map[string]any{"name": "", "path": "", "id": k6ID(""), "groups": []any{}, "checks": checks}
}

// summaryMetrics returns every metric with samples matching filter, and the
// sub-metrics of results, with the threshold outcomes.
func summaryMetrics(s *Snapshot, filter Tags, results []Result) map[string]any {
	out := map[string]any{}
	for _, m := range s.Metrics() {
		a := s.Sum(m, filter)
		if a.Count == 0 && !hasThreshold(results, m.name) {
			continue
		}
		out[m.name] = metricData(a, s.Elapsed(), results, m.name)
	}
	for _, r := range results {
		m := s.Metric(r.Metric)
		if m == nil || r.Filter.IsEmpty() {
			continue
		}
		if _, done := out[r.Key]; !done {
			out[r.Key] = metricData(s.Sum(m, r.Filter), s.Elapsed(), results, r.Key)
		}
	}
	return out
}

func hasThreshold(results []Result, key string) bool {
	for _, r := range results {
		if r.Key == key {
			return true
		}
	}
	return false
}

func metricData(a *Aggregate, elapsed time.Duration, results []Result, key string) map[string]any {
	d := map[string]any{"type": a.Metric.typ.String(), "contains": a.Metric.contains.String(), "values": values(a, elapsed)}
	th := map[string]any{}
	for _, r := range results {
		if r.Key == key {
			th[r.Threshold.Source] = map[string]bool{"ok": r.Passed}
		}
	}
	if len(th) > 0 {
		d["thresholds"] = th
	}
	return d
}

// values are a metric's stats by k6's names.
func values(a *Aggregate, elapsed time.Duration) map[string]float64 {
	switch a.Metric.typ {
	case Counter:
		rate := 0.0
		if elapsed > 0 {
			rate = a.Sum / elapsed.Seconds()
		}
		return map[string]float64{"count": a.Sum, "rate": rate}
	case Gauge:
		return map[string]float64{"value": a.Last, "min": a.Min, "max": a.Max}
	case Rate:
		return map[string]float64{"rate": a.Rate(), "passes": float64(a.Trues), "fails": float64(a.Falses())}
	}
	return map[string]float64{"avg": a.Avg(), "min": a.Min, "med": a.Percentile(50), "max": a.Max,
		"p(90)": a.Percentile(90), "p(95)": a.Percentile(95), "p(99)": a.Percentile(99)}
}

func summaryGroups(s *Snapshot) map[string]any {
	out := map[string]any{}
	for _, g := range RunGroups(s) {
		out[g] = map[string]any{"metrics": summaryMetrics(s, NewTags(TagGroup, g), nil)}
	}
	return out
}

func summaryTransactions(s *Snapshot) map[string]any {
	out := map[string]any{}
	dur, outcome := s.Metric("transaction_duration"), s.Metric("transactions")
	if dur == nil {
		return out
	}
	for _, g := range s.GroupBy(dur, TagTransaction) {
		tx := map[string]any{"count": g.Count, "values": values(g.Aggregate, s.Elapsed())}
		if outcome != nil {
			o := s.Sum(outcome, g.Tags)
			tx["passes"], tx["fails"] = o.Trues, o.Falses()
		}
		out[g.Value] = tx
	}
	return out
}
