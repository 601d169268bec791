package metrics

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrInvalidThresholds is wrapped by every error of ParseThresholds and
// Thresholds.Validate, so that the CLI can map them to their exit code.
var ErrInvalidThresholds = errors.New("invalid options.thresholds")

// MetricThresholds are the thresholds declared under one key of
// options.thresholds: a metric, optionally narrowed to a sub-metric by a tag
// filter.
type MetricThresholds struct {
	// Key is the key as written: "http_req_duration{transaction:login}".
	Key string
	// Metric is the metric name, Filter the tags a series must have.
	Metric     string
	Filter     Tags
	Thresholds []Threshold
}

// Thresholds are the parsed options.thresholds, sorted by key. The zero value
// (nil) has no thresholds and always passes.
type Thresholds []*MetricThresholds

// Result is the outcome of one threshold on one snapshot.
type Result struct {
	Key       string
	Metric    string
	Filter    Tags
	Threshold Threshold
	// Observed is the stat's value on the snapshot.
	Observed float64
	Passed   bool
	// NoData says the threshold could not be evaluated: its Rate, Trend or
	// Gauge (sub-)metric has no sample, so there is no rate, percentile or
	// value to compare (a Counter without samples counts 0, which is data).
	// Such a threshold does not fail the run (Passed is true), but the
	// summary marks it and warns: a dead target must not read as green.
	NoData bool
}

// ParseThresholds parses options.thresholds as decoded from JSON: each key is a
// metric name with an optional tag filter ("http_req_duration",
// "http_req_duration{status:200,method:GET}"), each value a threshold, or an
// array of them, where a threshold is an expression string or an object
// {threshold: 'p(95)<300', abortOnFail: true, delayAbortEval: '10s'}. Every
// malformed entry is reported (joined), each naming its key and expression.
func ParseThresholds(v map[string]any) (Thresholds, error) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var ts Thresholds
	var errs []error
	for _, key := range keys {
		mt, err := parseMetricThresholds(key, v[key])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ts = append(ts, mt)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidThresholds, err)
	}
	return ts, nil
}

func parseMetricThresholds(key string, v any) (*MetricThresholds, error) {
	name, filter, err := ParseMetricKey(key)
	if err != nil {
		return nil, err
	}
	mt := &MetricThresholds{Key: key, Metric: name, Filter: filter}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	var errs []error
	for _, item := range items {
		t, err := parseThresholdItem(item)
		if err != nil {
			errs = append(errs, fmt.Errorf("thresholds[%q]: %w", key, err))
			continue
		}
		mt.Thresholds = append(mt.Thresholds, t)
	}
	if len(items) == 0 {
		errs = append(errs, fmt.Errorf("thresholds[%q]: empty list: %s", key, thresholdForms))
	}
	return mt, errors.Join(errs...)
}

func parseThresholdItem(item any) (Threshold, error) {
	switch x := item.(type) {
	case string:
		return ParseThreshold(x)
	case map[string]any:
		return parseThresholdObject(x)
	}
	return Threshold{}, fmt.Errorf("threshold %v is a %T: want an expression string like 'p(95)<300' "+
		"or an object {threshold: 'p(95)<300', abortOnFail: true, delayAbortEval: '10s'}", item, item)
}

func parseThresholdObject(o map[string]any) (Threshold, error) {
	expr, ok := o["threshold"].(string)
	if !ok {
		return Threshold{}, fmt.Errorf("threshold object %v needs a string field threshold: 'p(95)<300'", o)
	}
	t, err := ParseThreshold(expr)
	if err != nil {
		return Threshold{}, err
	}
	for k, v := range o {
		switch k {
		case "threshold":
		case "abortOnFail":
			b, ok := v.(bool)
			if !ok {
				return Threshold{}, fmt.Errorf("threshold %q: abortOnFail must be true or false, not %v", expr, v)
			}
			t.AbortOnFail = b
		case "delayAbortEval":
			d, err := parseDelay(v)
			if err != nil {
				return Threshold{}, fmt.Errorf("threshold %q: delayAbortEval: %w", expr, err)
			}
			t.DelayAbortEval = d
		default:
			return Threshold{}, fmt.Errorf("threshold %q: unknown field %q (want threshold, abortOnFail, delayAbortEval)", expr, k)
		}
	}
	return t, nil
}

// parseDelay accepts a Go/k6 duration string ("10s", "1m30s") or a number of
// milliseconds.
func parseDelay(v any) (time.Duration, error) {
	switch x := v.(type) {
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(x))
		if err != nil || d < 0 {
			return 0, fmt.Errorf("invalid duration %q (want e.g. '10s' or '1m30s')", x)
		}
		return d, nil
	case float64:
		if !(x >= 0 && x < 1e12) {
			return 0, fmt.Errorf("invalid duration %v ms", x)
		}
		return time.Duration(x * float64(time.Millisecond)), nil
	}
	return 0, fmt.Errorf("invalid duration %v (want a string like '10s' or a number of milliseconds)", v)
}

// ParseMetricKey splits a threshold key into a metric name and a tag filter:
// "http_req_duration{status:200, method:GET}" → "http_req_duration",
// {method=GET,status=200}. Tag values may be quoted with ' or ".
func ParseMetricKey(key string) (name string, filter Tags, err error) {
	const forms = "want metric or metric{tag:value,...}"
	k := strings.TrimSpace(key)
	name, rest, hasFilter := strings.Cut(k, "{")
	name = strings.TrimSpace(name)
	if !validName(name) {
		return "", Tags{}, fmt.Errorf("thresholds[%q]: invalid metric name %q: %s", key, name, forms)
	}
	if !hasFilter {
		return name, Tags{}, nil
	}
	body, ok := strings.CutSuffix(rest, "}")
	if !ok || strings.ContainsAny(body, "{}") {
		return "", Tags{}, fmt.Errorf("thresholds[%q]: unbalanced braces: %s", key, forms)
	}
	var kv []string
	for part := range strings.SplitSeq(body, ",") {
		tk, tv, ok := strings.Cut(part, ":")
		tk, tv = strings.TrimSpace(tk), unquote(strings.TrimSpace(tv))
		if !ok || tk == "" {
			return "", Tags{}, fmt.Errorf("thresholds[%q]: invalid tag filter %q: %s", key, strings.TrimSpace(part), forms)
		}
		kv = append(kv, tk, tv)
	}
	return name, NewTags(kv...), nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// Validate checks every threshold against the registered metrics: the metric
// must exist and the stat must apply to its type. Call it after the init code
// registered the custom metrics.
func (ts Thresholds) Validate(r *Registry) error {
	var errs []error
	for _, mt := range ts {
		m := r.Lookup(mt.Metric)
		if m == nil {
			errs = append(errs, fmt.Errorf("thresholds[%q]: no metric named %q: check the name or declare it in the init code", mt.Key, mt.Metric))
			continue
		}
		for _, t := range mt.Thresholds {
			if !t.Stat.appliesTo(m.typ) {
				errs = append(errs, fmt.Errorf("thresholds[%q]: %q: %s does not apply to %s metric %s (want %s)",
					mt.Key, t.Source, t.Stat, m.typ, m.name, statsFor(m.typ)))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidThresholds, err)
	}
	return nil
}

// Evaluate computes every threshold on s, typically Registry.Totals(), in key
// order. A metric unknown to s evaluates as if it had no samples.
func (ts Thresholds) Evaluate(s *Snapshot) []Result {
	var out []Result
	for _, mt := range ts {
		agg := mt.aggregate(s)
		noData := agg.noData()
		for _, t := range mt.Thresholds {
			v := t.Stat.Of(agg, s.Elapsed())
			out = append(out, Result{Key: mt.Key, Metric: mt.Metric, Filter: mt.Filter,
				Threshold: t, Observed: v, Passed: noData || t.Op.holds(v, t.Value), NoData: noData})
		}
	}
	return out
}

// noData reports whether a's stats are undefined: no sample of a Rate, a
// Trend, a Gauge, or of a metric the snapshot does not know.
func (a *Aggregate) noData() bool {
	return a.Count == 0 && (a.Metric == nil || a.Metric.typ != Counter)
}

func (mt *MetricThresholds) aggregate(s *Snapshot) *Aggregate {
	m := s.Metric(mt.Metric)
	if m == nil {
		return &Aggregate{Metric: &Metric{name: mt.Metric}}
	}
	return s.Sum(m, mt.Filter)
}

// Abort evaluates the abortOnFail thresholds whose delayAbortEval has passed
// (elapsed is the time since the test started) and returns the first that
// fails. Call it after each Collect with Registry.Totals().
func (ts Thresholds) Abort(s *Snapshot, elapsed time.Duration) (Result, bool) {
	for _, mt := range ts {
		var agg *Aggregate
		for _, t := range mt.Thresholds {
			if !t.AbortOnFail || elapsed < t.DelayAbortEval {
				continue
			}
			if agg == nil {
				agg = mt.aggregate(s)
			}
			if agg.noData() {
				continue // nothing to judge yet
			}
			v := t.Stat.Of(agg, s.Elapsed())
			if !t.Op.holds(v, t.Value) {
				return Result{Key: mt.Key, Metric: mt.Metric, Filter: mt.Filter, Threshold: t, Observed: v}, true
			}
		}
	}
	return Result{}, false
}

// NoData returns the results that had no data to evaluate.
func NoData(results []Result) []Result {
	var out []Result
	for _, r := range results {
		if r.NoData {
			out = append(out, r)
		}
	}
	return out
}

// Failed reports whether any result failed (exit code 99).
func Failed(results []Result) bool {
	return slices.ContainsFunc(results, func(r Result) bool { return !r.Passed })
}
