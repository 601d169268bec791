package report

import (
	"maps"
	"slices"

	"github.com/jsload/jsload/metrics"
)

// maxCharts caps the charts of one kind (one per transaction, one line per
// group): past it, the rest are left out and the page says so.
const maxCharts = 12

// chart is one plot as page.js hands it to uPlot: Data[0] are the x values
// (Unix seconds), Data[i] the values of Series[i-1], null where the interval
// had none.
type chart struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Unit    string   `json:"unit"`
	Series  []string `json:"series"`
	Data    [][]any  `json:"data"`
	Omitted int      `json:"omitted,omitempty"` // transactions or groups left out (maxCharts)
}

// column extracts one value of a point; ok false leaves a gap.
type column func(p metrics.SeriesPoint) (v float64, ok bool)

func newChart(id, title, unit string, points []metrics.SeriesPoint, labels []string, cols ...column) chart {
	c := chart{ID: id, Title: title, Unit: unit, Series: labels, Data: make([][]any, len(cols)+1)}
	for _, p := range points {
		c.Data[0] = append(c.Data[0], float64(p.Time.UnixMilli())/1000)
		for i, col := range cols {
			var v any
			if f, ok := col(p); ok {
				v = f
			}
			c.Data[i+1] = append(c.Data[i+1], v)
		}
	}
	return c
}

// perSecond turns a count of an interval into a rate.
func perSecond(get func(metrics.SeriesPoint) float64) column {
	return func(p metrics.SeriesPoint) (float64, bool) {
		if p.Period <= 0 {
			return 0, false
		}
		return get(p) / p.Period, true
	}
}

// quantile reads one percentile of a Quantiles, a gap without samples.
func quantile(get func(metrics.SeriesPoint) *metrics.Quantiles, pick func(*metrics.Quantiles) float64) column {
	return func(p metrics.SeriesPoint) (float64, bool) {
		q := get(p)
		if q == nil {
			return 0, false
		}
		return pick(q), true
	}
}

var percentiles = []struct {
	label string
	pick  func(*metrics.Quantiles) float64
}{
	{"p50", func(q *metrics.Quantiles) float64 { return q.P50 }},
	{"p90", func(q *metrics.Quantiles) float64 { return q.P90 }},
	{"p95", func(q *metrics.Quantiles) float64 { return q.P95 }},
	{"p99", func(q *metrics.Quantiles) float64 { return q.P99 }},
}

func percentileChart(id, title string, points []metrics.SeriesPoint, get func(metrics.SeriesPoint) *metrics.Quantiles) chart {
	labels := make([]string, len(percentiles))
	cols := make([]column, len(percentiles))
	for i, pc := range percentiles {
		labels[i], cols[i] = pc.label, quantile(get, pc.pick)
	}
	return newChart(id, title, "ms", points, labels, cols...)
}

// buildCharts returns the report's plots of the series: none without points.
func buildCharts(points []metrics.SeriesPoint) []chart {
	if len(points) == 0 {
		return nil
	}
	var reqs float64
	txNames, groupNames := map[string]bool{}, map[string]bool{}
	for _, p := range points {
		reqs += p.All.Requests
		for n := range p.Transactions {
			txNames[n] = true
		}
		for n := range p.Groups {
			groupNames[n] = true
		}
	}
	charts := []chart{newChart("vus", "Active VUs", "VUs", points, []string{"VUs"},
		func(p metrics.SeriesPoint) (float64, bool) { return p.VUs, true })}
	if reqs > 0 {
		charts = append(charts,
			newChart("rps", "Requests per second", "/s", points, []string{"requests", "failed requests"},
				perSecond(func(p metrics.SeriesPoint) float64 { return p.All.Requests }),
				perSecond(func(p metrics.SeriesPoint) float64 { return p.All.FailedReqs })),
			percentileChart("duration", "Response time (http_req_duration)", points,
				func(p metrics.SeriesPoint) *metrics.Quantiles { return p.All.Duration }))
	} else {
		charts = append(charts, newChart("ips", "Iterations per second", "/s", points, []string{"iterations"},
			perSecond(func(p metrics.SeriesPoint) float64 { return p.All.Iterations })),
			percentileChart("iteration", "Iteration duration", points,
				func(p metrics.SeriesPoint) *metrics.Quantiles { return p.All.IterDuration }))
	}
	charts = append(charts, newChart("errors", "Errors and failed checks per second", "/s", points,
		[]string{"failed requests", "failed iterations", "failed checks"},
		perSecond(func(p metrics.SeriesPoint) float64 { return p.All.FailedReqs }),
		perSecond(func(p metrics.SeriesPoint) float64 { return p.All.FailedIters }),
		perSecond(func(p metrics.SeriesPoint) float64 { return p.All.FailedChecks })))
	charts = append(charts, transactionCharts(points, slices.Sorted(maps.Keys(txNames)))...)
	if len(groupNames) > 1 {
		charts = append(charts, groupCharts(points, slices.Sorted(maps.Keys(groupNames)), reqs > 0)...)
	}
	return charts
}

func transactionCharts(points []metrics.SeriesPoint, names []string) []chart {
	var out []chart
	for i, name := range names {
		if i == maxCharts {
			out[len(out)-1].Omitted = len(names) - maxCharts
			break
		}
		out = append(out, percentileChart("tx-"+name, "Transaction "+name, points,
			func(p metrics.SeriesPoint) *metrics.Quantiles { return p.Transactions[name].Duration }))
	}
	return out
}

// groupCharts plots the groups side by side: one line per group in a chart
// of request (or iteration) rates, of p95 response (or iteration) times and
// of errors.
func groupCharts(points []metrics.SeriesPoint, names []string, http bool) []chart {
	omitted := max(len(names)-maxCharts, 0)
	names = names[:min(len(names), maxCharts)]
	var rate, p95, errs []column
	for _, n := range names {
		rate = append(rate, perSecond(func(p metrics.SeriesPoint) float64 {
			if http {
				return p.Groups[n].Requests
			}
			return p.Groups[n].Iterations
		}))
		p95 = append(p95, quantile(func(p metrics.SeriesPoint) *metrics.Quantiles {
			if http {
				return p.Groups[n].Duration
			}
			return p.Groups[n].IterDuration
		}, func(q *metrics.Quantiles) float64 { return q.P95 }))
		errs = append(errs, perSecond(func(p metrics.SeriesPoint) float64 {
			g := p.Groups[n]
			return g.FailedReqs + g.FailedIters + g.FailedChecks
		}))
	}
	rateTitle, p95Title := "Requests per second by group", "Response time p95 by group"
	if !http {
		rateTitle, p95Title = "Iterations per second by group", "Iteration duration p95 by group"
	}
	out := []chart{
		newChart("group-rate", rateTitle, "/s", points, names, rate...),
		newChart("group-p95", p95Title, "ms", points, names, p95...),
		newChart("group-errors", "Errors and failed checks per second by group", "/s", points, names, errs...),
	}
	for i := range out {
		out[i].Omitted = omitted
	}
	return out
}
