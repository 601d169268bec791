package metrics

import "fmt"

// FormatValue renders v in the unit of metric m, as the summary does: "1.23ms"
// for time, "1.2 kB" for data, plain numbers otherwise.
func FormatValue(m *Metric, v float64) string { return formatValue(m, v) }

// FormatObserved renders a threshold result's observed value as the summary
// does: "p(95)=972.2ms", "rate=5.00%", "count=100".
func FormatObserved(s *Snapshot, r Result) string {
	return r.Threshold.Stat.String() + "=" + formatStat(s.Metric(r.Metric), r.Threshold.Stat, r.Observed)
}

// Results rebuilds the threshold results the export recorded, for the
// summary and the report of an export read back: each threshold parsed
// again, with the observed value and outcome of the run.
func (e *Export) Results() ([]Result, error) {
	out := make([]Result, 0, len(e.Thresholds))
	for _, t := range e.Thresholds {
		name, filter, err := ParseMetricKey(t.Metric)
		if err != nil {
			return nil, fmt.Errorf("summary export: %w", err)
		}
		th, err := ParseThreshold(t.Threshold)
		if err != nil {
			return nil, fmt.Errorf("summary export: threshold %q of %s: %w", t.Threshold, t.Metric, err)
		}
		out = append(out, Result{Key: t.Metric, Metric: name, Filter: filter, Threshold: th,
			Observed: t.Observed, Passed: t.Passed})
	}
	return out, nil
}
