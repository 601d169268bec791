package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// exportVersion is the version of the summary export format.
const exportVersion = 1

// Export is the --summary-export document: every series of a run with its
// exact aggregates and its serialised histogram, so that the exports of
// several runs (of one test run by several processes at once, for instance)
// can be merged with MergeExports and summarised again. Derived stats (avg, percentiles) are
// included for readers, and ignored when reading back.
//
// Test and Errors are filled in by the command line (the test's name, the
// script errors of the run); merged exports add up their errors.
type Export struct {
	Version    int               `json:"version"`
	Test       string            `json:"test,omitempty"`
	Start      time.Time         `json:"start"`
	End        time.Time         `json:"end"`
	Metrics    []ExportMetric    `json:"metrics"`
	Thresholds []ExportThreshold `json:"thresholds,omitempty"`
	Errors     []ExportError     `json:"errors,omitempty"`
	// Segment says which part of a distributed test the export is of (nil for
	// a whole test, and for a merged export).
	Segment *ExportSegment `json:"segment,omitempty"`
}

// ExportSegment names the part of a distributed test an export covers:
// --segment Index/Count of the run RunID (empty without --run-id).
type ExportSegment struct {
	Index int    `json:"index"`
	Count int    `json:"count"`
	RunID string `json:"runId,omitempty"`
}

// ExportMetric is one metric of an Export.
type ExportMetric struct {
	Name     string         `json:"name"`
	Type     string         `json:"type"`
	Contains string         `json:"contains"`
	Series   []ExportSeries `json:"series"`
}

// ExportSeries is one series of an ExportMetric; fields as in Aggregate.
type ExportSeries struct {
	Tags      map[string]string  `json:"tags,omitempty"`
	Count     uint64             `json:"count"`
	Sum       float64            `json:"sum,omitempty"`
	Trues     uint64             `json:"trues,omitempty"`
	Min       float64            `json:"min,omitempty"`
	Max       float64            `json:"max,omitempty"`
	Last      float64            `json:"last,omitempty"`
	Stats     map[string]float64 `json:"stats,omitempty"`
	Histogram *Histogram         `json:"histogram,omitempty"`
}

// ExportThreshold records one threshold result of the run.
type ExportThreshold struct {
	Metric    string  `json:"metric"`
	Threshold string  `json:"threshold"`
	Observed  float64 `json:"observed"`
	Passed    bool    `json:"passed"`
}

// NewExport builds the export of s (normally Registry.Totals()) and of the
// threshold results.
func NewExport(s *Snapshot, results []Result) *Export {
	e := &Export{Version: exportVersion, Start: s.Start.UTC(), End: s.End.UTC()}
	for _, m := range s.Metrics() {
		series := s.SeriesOf(m)
		if len(series) == 0 {
			continue
		}
		em := ExportMetric{Name: m.name, Type: m.typ.String(), Contains: m.contains.String()}
		for _, a := range series {
			em.Series = append(em.Series, exportSeries(a))
		}
		e.Metrics = append(e.Metrics, em)
	}
	for _, r := range results {
		e.Thresholds = append(e.Thresholds, ExportThreshold{Metric: r.Key, Threshold: r.Threshold.Source,
			Observed: r.Observed, Passed: r.Passed})
	}
	return e
}

func exportSeries(a *Aggregate) ExportSeries {
	es := ExportSeries{Tags: a.Tags.Map(), Count: a.Count, Sum: a.Sum}
	switch a.Metric.typ {
	case Gauge:
		es.Min, es.Max, es.Last = a.Min, a.Max, a.Last
	case Rate:
		es.Trues = a.Trues
		es.Stats = map[string]float64{"rate": a.Rate()}
	case Trend:
		es.Min, es.Max, es.Histogram = a.Min, a.Max, a.Hist
		es.Stats = map[string]float64{"avg": a.Avg(), "med": a.Percentile(50),
			"p90": a.Percentile(90), "p95": a.Percentile(95), "p99": a.Percentile(99)}
	}
	return es
}

// Write writes e as indented JSON.
func (e *Export) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(e); err != nil {
		return fmt.Errorf("write summary export: %w", err)
	}
	return nil
}

// WriteExportFile writes e to path atomically: to a temporary file in the same
// directory, then renamed, so a reader never sees a partial export.
func WriteExportFile(path string, e *Export) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".summary-export-*")
	if err != nil {
		return fmt.Errorf("write summary export %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // no-op after a successful rename
	if err := e.Write(f); err != nil {
		f.Close()
		return fmt.Errorf("write summary export %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write summary export %s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil { // CreateTemp made it private
		return fmt.Errorf("write summary export %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write summary export %s: %w", path, err)
	}
	return nil
}

// ReadExport decodes and checks an export written by Export.Write.
func ReadExport(r io.Reader) (*Export, error) {
	var e Export
	dec := json.NewDecoder(r)
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("read summary export: %w", err)
	}
	if e.Version != exportVersion {
		return nil, fmt.Errorf("read summary export: version %d, want %d", e.Version, exportVersion)
	}
	if _, err := e.Snapshot(); err != nil {
		return nil, fmt.Errorf("read summary export: %w", err)
	}
	return &e, nil
}

// ReadExportFile reads the export at path.
func ReadExportFile(path string) (*Export, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read summary export: %w", err)
	}
	defer f.Close()
	e, err := ReadExport(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// Snapshot rebuilds the totals the export was made from, with its own metric
// definitions, for WriteSummary and Thresholds.Evaluate.
func (e *Export) Snapshot() (*Snapshot, error) {
	r := &Registry{byName: map[string]*Metric{}}
	snap := newSnapshot(e.Start, e.End, nil)
	for _, em := range e.Metrics {
		typ, err := ParseType(em.Type)
		if err != nil {
			return nil, fmt.Errorf("metric %q: %w", em.Name, err)
		}
		vt, err := ParseValueType(em.Contains)
		if err != nil {
			return nil, fmt.Errorf("metric %q: %w", em.Name, err)
		}
		m, err := r.Register(em.Name, typ, vt)
		if err != nil {
			return nil, err
		}
		for _, es := range em.Series {
			a, err := importSeries(m, es)
			if err != nil {
				return nil, fmt.Errorf("metric %q series {%s}: %w", em.Name, TagsFromMap(es.Tags), err)
			}
			a.lastAt = e.End.UnixNano()
			snap.mergeAggregate(a)
		}
	}
	snap.metrics = r.metrics
	return snap.seal(), nil
}

func importSeries(m *Metric, es ExportSeries) (*Aggregate, error) {
	a := &Aggregate{Metric: m, Tags: TagsFromMap(es.Tags), Count: es.Count, Sum: es.Sum}
	switch m.typ {
	case Gauge:
		a.Min, a.Max, a.Last = es.Min, es.Max, es.Last
	case Rate:
		if es.Trues > es.Count {
			return nil, fmt.Errorf("trues %d > count %d", es.Trues, es.Count)
		}
		a.Trues = es.Trues
	case Trend:
		if es.Histogram == nil || es.Histogram.Count() != es.Count {
			return nil, fmt.Errorf("missing histogram or count mismatch")
		}
		a.Min, a.Max, a.Hist = es.Histogram.Min(), es.Histogram.Max(), es.Histogram
	}
	return a, nil
}

// MergeExports combines the exports of processes that ran at the same time
// (the segments of a distributed test, --segment) into one: counts, sums and
// histograms add up (bucket by bucket, so the merged percentiles are those of
// one histogram of all the samples), min and max widen, gauges add up (see
// MergeConcurrent), and the period spans the earliest start to the latest end
// (rates per second assume the runs overlapped). A metric with different types
// in two exports is an error. Threshold results are not merged: evaluate the
// thresholds again on the merged Snapshot.
func MergeExports(exports ...*Export) (*Export, error) {
	if len(exports) == 0 {
		return nil, fmt.Errorf("merge summary exports: nothing to merge")
	}
	var merged *Snapshot
	for i, e := range exports {
		s, err := e.Snapshot()
		if err != nil {
			return nil, fmt.Errorf("merge summary exports: export %d: %w", i+1, err)
		}
		if merged, err = MergeConcurrent(merged, s); err != nil {
			return nil, fmt.Errorf("merge summary exports: export %d: %w", i+1, err)
		}
	}
	out := NewExport(merged, nil)
	out.Test = exports[0].Test
	out.Errors = mergeErrors(exports)
	return out, nil
}

// mergeErrors adds up the counts of the same error in several exports, in the
// order errors first appear.
func mergeErrors(exports []*Export) []ExportError {
	var out []ExportError
	index := map[ExportError]int{} // Count zero: location and message
	for _, e := range exports {
		for _, err := range e.Errors {
			k := ExportError{Location: err.Location, Message: err.Message}
			if i, ok := index[k]; ok {
				out[i].Count += err.Count
				continue
			}
			index[k] = len(out)
			out = append(out, err)
		}
	}
	return out
}

// MergeSnapshots returns a new snapshot holding the series of a and b merged,
// covering the earliest start to the latest end; a may be nil. Use it to add
// up the intervals of one hot-reload generation for CompactSummary, or the
// snapshots of several exports. Metrics are matched by name; the series of b
// whose metric has another type or value type in a are left out (a's
// definition wins), and the first such clash is returned as the error, with
// the merged snapshot. a and b are not modified, and the result shares the
// series that only one of them has.
func MergeSnapshots(a, b *Snapshot) (*Snapshot, error) {
	return mergeSnapshots(a, b, (*Aggregate).merge)
}

// MergeConcurrent is MergeSnapshots for snapshots measured at the same time by
// different processes, the segments of a distributed test: gauges add up
// instead of keeping the latest value (three segments of 2 VUs each are 6 VUs,
// not 2). Merge the snapshots of one process over time with MergeSnapshots
// first.
func MergeConcurrent(a, b *Snapshot) (*Snapshot, error) {
	return mergeSnapshots(a, b, (*Aggregate).mergeConcurrent)
}

// mergeSnapshots merges b into a, leaving out the series of metrics whose
// type clashes, and reports the first clash.
func mergeSnapshots(a, b *Snapshot, combine func(dst, src *Aggregate)) (*Snapshot, error) {
	if a == nil {
		a = &Snapshot{Start: b.Start, End: b.End}
	}
	start, end := a.Start, a.End
	if b.Start.Before(start) {
		start = b.Start
	}
	if b.End.After(end) {
		end = b.End
	}
	ms := slices.Clip(a.metrics) // shared with a: appending copies
	byName := make(map[string]*Metric, len(ms))
	for _, m := range ms {
		byName[m.name] = m
	}
	var err error
	of := make(map[*Metric]*Metric, len(b.metrics)) // b's metric to the result's; nil on a clash
	for _, m := range b.metrics {
		have := byName[m.name]
		switch {
		case have == nil:
			ms = append(ms, m)
			byName[m.name], of[m] = m, m
		case have.typ != m.typ || have.contains != m.contains:
			if err == nil {
				err = fmt.Errorf("metric %q: cannot merge a %s (%s values) into a %s (%s values)",
					m.name, m.typ, m.contains, have.typ, have.contains)
			}
		default:
			of[m] = have
		}
	}
	if len(ms) != len(a.metrics) {
		slices.SortFunc(ms, func(x, y *Metric) int { return strings.Compare(x.name, y.name) })
	}
	return mergeShared(a, b, start, end, ms, func(m *Metric) *Metric { return of[m] }, combine), err
}
