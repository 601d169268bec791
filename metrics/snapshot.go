package metrics

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// seriesKey identifies a series: a metric and a tag set. It is comparable, so
// looking a series up allocates nothing.
type seriesKey struct {
	m    *Metric
	tags Tags
}

// Snapshot is an immutable view of aggregated metrics over [Start, End]: either
// one collection interval (Registry.Collect) or the whole run so far
// (Registry.Totals). It is safe for concurrent readers.
type Snapshot struct {
	// Start and End bound the period the snapshot covers.
	Start, End time.Time

	metrics []*Metric // every metric known when it was taken, by name
	list    []*Aggregate
	index   map[seriesKey]*Aggregate
}

func newSnapshot(start, end time.Time, ms []*Metric) *Snapshot {
	return &Snapshot{Start: start, End: end, metrics: ms, index: map[seriesKey]*Aggregate{}}
}

// mergeAggregate adds a's data into the snapshot's series for a's key.
func (s *Snapshot) mergeAggregate(a *Aggregate) {
	k := seriesKey{a.Metric, a.Tags}
	dst := s.index[k]
	if dst == nil {
		dst = newAggregate(a.Metric, a.Tags)
		s.index[k] = dst
		s.list = nil
	}
	dst.merge(a)
}

// seal sorts the series list; a snapshot is read-only afterwards.
func (s *Snapshot) seal() *Snapshot {
	s.list = make([]*Aggregate, 0, len(s.index))
	for _, a := range s.index {
		s.list = append(s.list, a)
	}
	slices.SortFunc(s.list, func(a, b *Aggregate) int {
		return cmp.Or(strings.Compare(a.Metric.name, b.Metric.name), a.Tags.compare(b.Tags))
	})
	return s
}

func (s *Snapshot) clone() *Snapshot {
	c := newSnapshot(s.Start, s.End, s.metrics)
	for k, a := range s.index {
		c.index[k] = a.clone()
	}
	return c.seal()
}

// Elapsed returns End - Start.
func (s *Snapshot) Elapsed() time.Duration { return s.End.Sub(s.Start) }

// Metrics returns every metric registered when the snapshot was taken, sorted
// by name, whether or not it has samples.
func (s *Snapshot) Metrics() []*Metric { return s.metrics }

// Metric returns the metric called name, or nil.
func (s *Snapshot) Metric(name string) *Metric {
	i, ok := slices.BinarySearchFunc(s.metrics, name, func(m *Metric, n string) int {
		return strings.Compare(m.name, n)
	})
	if !ok {
		return nil
	}
	return s.metrics[i]
}

// Series returns every series with samples, sorted by metric name and tags.
func (s *Snapshot) Series() []*Aggregate { return s.list }

// SeriesOf returns the series of metric m, sorted by tags.
func (s *Snapshot) SeriesOf(m *Metric) []*Aggregate {
	lo, _ := slices.BinarySearchFunc(s.list, m.name, func(a *Aggregate, n string) int {
		return strings.Compare(a.Metric.name, n)
	})
	hi := lo
	for hi < len(s.list) && s.list[hi].Metric == m {
		hi++
	}
	return s.list[lo:hi]
}

// Get returns the series of m with exactly tags, or nil.
func (s *Snapshot) Get(m *Metric, tags Tags) *Aggregate { return s.index[seriesKey{m, tags}] }

// Sum merges every series of m whose tags contain filter into a new Aggregate
// (tagged filter): the whole metric for an empty filter, or a sub-metric such
// as http_req_duration{transaction:login}. It is never nil; without matching
// samples its Count is 0.
func (s *Snapshot) Sum(m *Metric, filter Tags) *Aggregate {
	sum := newAggregate(m, filter)
	for _, a := range s.SeriesOf(m) {
		if a.Tags.Contains(filter) {
			sum.merge(a)
		}
	}
	return sum
}

// Group is the merged data of the series of a metric sharing one value of a
// tag; see Snapshot.GroupBy.
type Group struct {
	Value string
	*Aggregate
}

// GroupBy merges the series of m by the value of tag key (series without the
// tag are skipped), sorted by value: per-check results from checks{check=...},
// per-transaction durations from transaction_duration{transaction=...}.
func (s *Snapshot) GroupBy(m *Metric, key string) []Group {
	byValue := map[string]*Aggregate{}
	for _, a := range s.SeriesOf(m) {
		v, ok := a.Tags.Get(key)
		if !ok {
			continue
		}
		g := byValue[v]
		if g == nil {
			g = newAggregate(m, NewTags(key, v))
			byValue[v] = g
		}
		g.merge(a)
	}
	out := make([]Group, 0, len(byValue))
	for v, a := range byValue {
		out = append(out, Group{v, a})
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(a.Value, b.Value) })
	return out
}
