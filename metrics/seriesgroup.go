package metrics

import (
	"slices"
)

// Sizes of a shard's buffer of group samples (pendingGroups).
const (
	pendingRecords = 16  // AddGroup calls buffered before they are aggregated
	pendingValues  = 192 // their values (12 per record on average)
	pendingSingles = 16  // samples of Add and AddSamples buffered beside them
)

// SeriesGroup is a fixed list of metrics recorded together with one tag set,
// such as the samples of one HTTP request. Make it once (NewSeriesGroup) and
// record through Sink.AddGroup. A SeriesGroup is immutable and safe for
// concurrent use.
type SeriesGroup struct {
	metrics []*Metric
	gauge   bool // one of the metrics is a Gauge: AddGroup reads the clock
}

// NewSeriesGroup returns a SeriesGroup of metrics; a nil metric stands for a
// value that is ignored.
func NewSeriesGroup(metrics ...*Metric) *SeriesGroup {
	g := &SeriesGroup{metrics: slices.Clone(metrics)}
	for _, m := range metrics {
		if m != nil && m.typ == Gauge {
			g.gauge = true
		}
	}
	return g
}

// groupKey identifies the series of a SeriesGroup under one tag set.
type groupKey struct {
	g    *SeriesGroup
	tags Tags
}

// groupSeries are the series of one groupKey in a shard, by the group's metric
// index (nil for a nil metric).
type groupSeries struct {
	series []*Aggregate
}

// pendingGroups buffers the values of a shard's AddGroup calls: record i
// holds counts[i] values, from vals[offset of i], for the series of
// groups[i]. Aggregating them in batches touches each series once per batch
// rather than once per call, which matters on the hot path: the series'
// memory is seldom in the CPU cache when a request ends. The buffer is
// aggregated when full and whenever the shard is drained, so no sample is
// ever late for its interval. A shard with a buffer (one whose VUs record
// requests) buffers its other samples too (iterations', checks), in singles,
// but for Gauges, which keep their order.
type pendingGroups struct {
	n, nv  int // records and values in use
	groups [pendingRecords]*groupSeries
	counts [pendingRecords]uint16
	vals   [pendingValues]float64
	recent [2]recentGroup // the last two groups recorded (a request's and an iteration's), emptied by drain

	ns         int // singles in use
	singles    [pendingSingles]*Aggregate
	singleVals [pendingSingles]float64
}

// recentGroup is a group recorded lately and its series.
type recentGroup struct {
	key groupKey
	gs  *groupSeries
}

// AddGroup records values[i] for the i-th metric of g, all with tags; values
// are as for Add, extra values are ignored and missing ones record nothing. It
// takes one lock acquisition and at most one series lookup, and does not
// allocate (values passed as a literal list) once the sink's shard has seen
// the (g, tags) pair in the current interval. Samples of groups without a
// Gauge are buffered in the shard and aggregated in batches, or when the
// shard is drained: the collector sees them in the interval they were
// recorded in.
func (s *Sink) AddGroup(g *SeriesGroup, tags Tags, values ...float64) {
	var now int64
	if s.closed.Load() {
		return
	}
	if g.gauge {
		now = s.reg.clock()
	}
	sh := s.sh
	sh.mu.Lock()
	defer sh.mu.Unlock()
	p := sh.pending
	if p == nil {
		p = new(pendingGroups)
		sh.pending = p
	}
	key := groupKey{g, tags}
	var gs *groupSeries
	switch {
	case p.recent[0].gs != nil && p.recent[0].key == key:
		gs = p.recent[0].gs
	case p.recent[1].gs != nil && p.recent[1].key == key:
		gs = p.recent[1].gs
		p.recent[0], p.recent[1] = p.recent[1], p.recent[0]
	default:
		if gs = sh.groups[key]; gs == nil {
			gs = sh.groupSeries(g, tags)
		}
		p.recent[1], p.recent[0] = p.recent[0], recentGroup{key, gs}
	}
	values = values[:min(len(values), len(gs.series))]
	if g.gauge || len(values) > pendingValues {
		addGroupValues(gs, values, now) // gauges keep the order of their samples
		return
	}
	if p.n == pendingRecords || p.nv+len(values) > pendingValues {
		p.flush()
	}
	p.groups[p.n], p.counts[p.n] = gs, uint16(len(values))
	copy(p.vals[p.nv:], values)
	p.n++
	p.nv += len(values)
}

func addGroupValues(gs *groupSeries, values []float64, now int64) {
	for i, v := range values {
		if a := gs.series[i]; a != nil && finite(v) {
			a.add(v, now)
		}
	}
}

// flush aggregates the buffered records; the shard's mu is held.
func (p *pendingGroups) flush() {
	off := 0
	for i, gs := range p.groups[:p.n] {
		n := int(p.counts[i])
		addGroupValues(gs, p.vals[off:off+n], 0)
		off += n
		p.groups[i] = nil
	}
	p.n, p.nv = 0, 0
	for i, a := range p.singles[:p.ns] {
		a.add(p.singleVals[i], 0)
		p.singles[i] = nil
	}
	p.ns = 0
}

// groupSeries looks up (creating them) the series of g with tags and remembers
// them; s.mu is held.
func (s *shard) groupSeries(g *SeriesGroup, tags Tags) *groupSeries {
	gs := &groupSeries{series: make([]*Aggregate, len(g.metrics))}
	for i, m := range g.metrics {
		if m == nil {
			continue
		}
		k := seriesKey{m, tags}
		a := s.series[k]
		if a == nil {
			a = newAggregate(m, tags)
			s.series[k] = a
		}
		gs.series[i] = a
	}
	if s.groups == nil {
		s.groups = map[groupKey]*groupSeries{}
	}
	s.groups[groupKey{g, tags}] = gs
	return gs
}

// drainGroups aggregates the buffered group samples, then forgets the groups
// whose series are about to be forgotten (those without samples in the
// interval): a group keeps its series only while all of them stay in s.series.
// s.mu is held.
func (s *shard) drainGroups() {
	if s.pending == nil {
		return
	}
	s.pending.flush()
	s.pending.recent = [2]recentGroup{}
	for k, gs := range s.groups {
		if slices.ContainsFunc(gs.series, func(a *Aggregate) bool { return a != nil && a.Count == 0 }) {
			delete(s.groups, k)
		}
	}
}
