package metrics

import (
	"cmp"
	"maps"
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
	slices.SortFunc(s.list, compareSeries)
	return s
}

// compareSeries orders series by metric name, then tags.
func compareSeries(a, b *Aggregate) int {
	return cmp.Or(strings.Compare(a.Metric.name, b.Metric.name), a.Tags.compare(b.Tags))
}

// mergeShared returns a new sealed snapshot over [start, end] with metrics ms,
// holding the series of base with those of add merged in by combine. metricOf
// maps a metric of add to the result's metric of the same name, or to nil to
// leave its series out.
//
// The aggregates of a sealed snapshot are never modified (Sink.drain merges
// into a new interval, Sum and GroupBy into new aggregates), so the result
// shares them: only a series present in both base and add is copied before
// add's data is merged into the copy. The cost follows the series of add plus
// copying base's index and list of pointers, not deep copying every histogram
// base holds.
func mergeShared(base, add *Snapshot, start, end time.Time, ms []*Metric, metricOf func(*Metric) *Metric, combine func(dst, src *Aggregate)) *Snapshot {
	out := newSnapshot(start, end, ms)
	if len(base.index) > 0 {
		out.index = maps.Clone(base.index)
	}
	var added []*Aggregate // series base lacks; sorted, as add's list is
	for _, a := range add.list {
		m := metricOf(a.Metric)
		if m == nil {
			continue
		}
		k := seriesKey{m, a.Tags}
		if old := out.index[k]; old != nil {
			c := old.clone()
			combine(c, a)
			out.index[k] = c
			continue
		}
		if m != a.Metric {
			c := *a // shares a's histogram, which nobody modifies
			c.Metric = m
			a = &c
		}
		out.index[k] = a
		added = append(added, a)
	}
	// Merge the two sorted lists, taking base's series from the index, where
	// copies replaced those add touched.
	out.list = make([]*Aggregate, 0, len(out.index))
	rest := base.list
	for _, a := range added {
		for len(rest) > 0 && compareSeries(rest[0], a) < 0 {
			out.list = append(out.list, out.index[seriesKey{rest[0].Metric, rest[0].Tags}])
			rest = rest[1:]
		}
		out.list = append(out.list, a)
	}
	for _, b := range rest {
		out.list = append(out.list, out.index[seriesKey{b.Metric, b.Tags}])
	}
	return out
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
