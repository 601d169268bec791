package metrics

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Output receives collected metrics and writes them somewhere. The collector
// calls AddInterval after each Collect and AddTotals once at the end; Close
// flushes and closes. Implementations in this package are safe for concurrent
// use, so Close may come from an abort path while the collector is writing.
type Output interface {
	// AddInterval writes the aggregates of one collection interval.
	AddInterval(s *Snapshot) error
	// AddTotals writes the aggregates of the whole run.
	AddTotals(s *Snapshot) error
	// Close flushes and releases the output. It is idempotent; what was added
	// before it is complete and valid in the output even mid-run.
	Close() error
}

// ErrOutputClosed is returned when adding to a closed output.
var ErrOutputClosed = errors.New("output closed")

// OpenOutput creates the output named by a --out value: "json=FILE" (NDJSON,
// see NewJSONOutput) or "csv=FILE" (see NewCSVOutput). The file is created or
// truncated.
func OpenOutput(spec string) (Output, error) {
	kind, path, ok := strings.Cut(spec, "=")
	if !ok || path == "" || (kind != "json" && kind != "csv") {
		return nil, fmt.Errorf("invalid --out %q: want json=FILE, csv=FILE, prometheus=URL or influxdb=URL", spec)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("open output %s: %w", spec, err)
	}
	if kind == "csv" {
		return NewCSVOutput(f), nil
	}
	return NewJSONOutput(f), nil
}

// OutputFile returns the file that an --out value names when it is one of the
// file outputs (json=FILE, csv=FILE); ok is false for any other value, which
// OpenOutput accepts or rejects.
func OutputFile(spec string) (path string, ok bool) {
	kind, path, ok := strings.Cut(spec, "=")
	if !ok || path == "" || (kind != "json" && kind != "csv") {
		return "", false
	}
	return path, true
}

// Outputs fans out to several outputs. The zero value has none.
type Outputs []Output

// AddInterval adds s to every output and joins their errors.
func (outs Outputs) AddInterval(s *Snapshot) error {
	return outs.each(func(o Output) error { return o.AddInterval(s) })
}

// AddTotals adds s to every output and joins their errors.
func (outs Outputs) AddTotals(s *Snapshot) error {
	return outs.each(func(o Output) error { return o.AddTotals(s) })
}

// Close closes every output, even when some fail, and joins their errors.
func (outs Outputs) Close() error {
	return outs.each(Output.Close)
}

func (outs Outputs) each(fn func(Output) error) error {
	var errs []error
	for _, o := range outs {
		errs = append(errs, fn(o))
	}
	return errors.Join(errs...)
}

// Row kinds.
const (
	rowInterval = "interval"
	rowTotal    = "total"
)

// row is one line of the NDJSON and CSV outputs; see NewJSONOutput.
type row struct {
	Kind   string            `json:"kind"`
	Time   string            `json:"time"`
	Period float64           `json:"period_s"`
	Metric string            `json:"metric"`
	Type   string            `json:"type"`
	Tags   map[string]string `json:"tags,omitempty"` // set from tags by encodeNDJSON only
	tags   Tags              // the series' tags; encoding/json skips unexported fields
	Count  uint64            `json:"count"`
	Value  *float64          `json:"value,omitempty"`
	Rate   *float64          `json:"rate,omitempty"`
	Trues  *uint64           `json:"trues,omitempty"`
	Min    *float64          `json:"min,omitempty"`
	Max    *float64          `json:"max,omitempty"`
	Avg    *float64          `json:"avg,omitempty"`
	Med    *float64          `json:"med,omitempty"`
	P90    *float64          `json:"p90,omitempty"`
	P95    *float64          `json:"p95,omitempty"`
	P99    *float64          `json:"p99,omitempty"`
}

// rows converts every series of s into rows of the given kind.
func rows(kind string, s *Snapshot) []row {
	period := s.Elapsed()
	out := make([]row, 0, len(s.Series()))
	for _, a := range s.Series() {
		out = append(out, seriesRow(kind, s.End, period, a))
	}
	return out
}

func seriesRow(kind string, end time.Time, period time.Duration, a *Aggregate) row {
	f := func(v float64) *float64 { return &v }
	r := row{
		Kind: kind, Time: end.UTC().Format(time.RFC3339Nano), Period: period.Seconds(),
		Metric: a.Metric.name, Type: a.Metric.typ.String(), tags: a.Tags, Count: a.Count,
	}
	switch a.Metric.typ {
	case Counter:
		r.Value = f(a.Sum)
		if period > 0 {
			r.Rate = f(a.Sum / period.Seconds())
		}
	case Gauge:
		r.Value, r.Min, r.Max = f(a.Last), f(a.Min), f(a.Max)
	case Rate:
		trues := a.Trues
		r.Value, r.Trues = f(a.Rate()), &trues
	case Trend:
		r.Min, r.Max, r.Avg = f(a.Min), f(a.Max), f(a.Avg())
		r.Med, r.P90, r.P95, r.P99 = f(a.Percentile(50)), f(a.Percentile(90)), f(a.Percentile(95)), f(a.Percentile(99))
	}
	return r
}
