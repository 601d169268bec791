package metrics

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Registry holds the metric definitions of a run, the sinks that VUs record
// into, and the totals collected from them. All its methods are safe for
// concurrent use. Collect and Totals are meant for one collector goroutine, but
// concurrent calls are serialised rather than corrupting anything.
type Registry struct {
	builtins Builtins
	epoch    time.Time // monotonic origin of gauge timestamps

	mu      sync.Mutex // guards metrics, byName, sinks
	byName  map[string]*Metric
	metrics []*Metric // sorted by name
	sinks   map[*Sink]struct{}

	collectMu sync.Mutex // guards what follows; taken before mu, never inside it
	last      time.Time  // end of the previous Collect
	totals    *Snapshot
}

// NewRegistry returns a registry holding the built-in metrics. The run is taken
// to start now; see SetStart.
func NewRegistry() *Registry {
	now := time.Now()
	r := &Registry{
		epoch:  now,
		byName: map[string]*Metric{},
		sinks:  map[*Sink]struct{}{},
		last:   now,
	}
	for _, d := range builtinDefs(&r.builtins) {
		m, err := r.Register(d.name, d.typ, d.contains)
		if err != nil {
			panic(err) // the table above is constant
		}
		*d.field = m
	}
	r.totals = newSnapshot(now, now, r.metrics).seal()
	return r
}

// SetStart sets the start of the run (default: when the registry was created):
// the Start of Totals and of the first Collect interval. Call it before the
// first Collect.
func (r *Registry) SetStart(t time.Time) {
	r.collectMu.Lock()
	defer r.collectMu.Unlock()
	r.last = t
	r.totals.Start, r.totals.End = t, t
}

// Builtins returns the built-in metrics.
func (r *Registry) Builtins() *Builtins { return &r.builtins }

// Register defines a metric, or returns the existing one when name is already
// registered with the same type and value type. It is an error to register a
// name again with a different type or value type, or an invalid name.
func (r *Registry) Register(name string, typ Type, contains ValueType) (*Metric, error) {
	if !validName(name) {
		return nil, fmt.Errorf("invalid metric name %q: use a letter or _, then letters, digits or _ (at most 128)", name)
	}
	if typ < Counter || typ > Trend {
		return nil, fmt.Errorf("register metric %q: invalid type %v", name, typ)
	}
	if contains > Data {
		return nil, fmt.Errorf("register metric %q: invalid value type %v", name, contains)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if m, ok := r.byName[name]; ok {
		if m.typ != typ || m.contains != contains {
			return nil, fmt.Errorf("metric %q is already a %s (%s values), cannot register it as a %s (%s values)",
				name, m.typ, m.contains, typ, contains)
		}
		return m, nil
	}
	m := &Metric{name: name, typ: typ, contains: contains}
	r.byName[name] = m
	// A new slice each time: snapshots keep the old one.
	ms := append(slices.Clip(r.metrics), m)
	slices.SortFunc(ms, func(a, b *Metric) int { return strings.Compare(a.name, b.name) })
	r.metrics = ms
	return m, nil
}

// Lookup returns the metric called name, or nil.
func (r *Registry) Lookup(name string) *Metric {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byName[name]
}

// NewSink returns a new sink registered with r. Give each VU its own and Close
// it when the VU ends.
func (r *Registry) NewSink() *Sink {
	s := &Sink{reg: r, series: map[seriesKey]*Aggregate{}}
	r.mu.Lock()
	r.sinks[s] = struct{}{}
	r.mu.Unlock()
	return s
}

// clock returns the monotonic time since the registry's epoch.
func (r *Registry) clock() int64 { return int64(time.Since(r.epoch)) }

// Collect drains every sink and returns the samples recorded since the
// previous Collect (or since the start), covering [previous Collect, now]. It
// also adds them to the totals. Sinks closed since the previous Collect are
// drained one last time and forgotten. Each sink's lock is held only while
// that sink is drained; VUs keep recording into the others meanwhile.
func (r *Registry) Collect() *Snapshot { return r.CollectAt(time.Now()) }

// CollectAt is Collect with the collection time given, for tests and replays.
func (r *Registry) CollectAt(now time.Time) *Snapshot {
	r.collectMu.Lock()
	defer r.collectMu.Unlock()

	r.mu.Lock()
	sinks := make([]*Sink, 0, len(r.sinks))
	for s := range r.sinks {
		sinks = append(sinks, s)
	}
	ms := r.metrics
	r.mu.Unlock()

	iv := newSnapshot(r.last, now, ms)
	for _, s := range sinks {
		if s.drain(iv) {
			r.mu.Lock()
			delete(r.sinks, s)
			r.mu.Unlock()
		}
	}
	iv.seal()

	// The totals are replaced, never modified: a Snapshot handed out by Totals
	// stays valid. The new totals share the series iv did not touch.
	r.totals = mergeShared(r.totals, iv, r.totals.Start, now, ms, func(m *Metric) *Metric { return m }, (*Aggregate).merge)
	r.last = now
	return iv
}

// Totals returns the aggregate of everything collected so far, from the start
// of the run to the last Collect. Samples still in sinks are not included:
// call Collect first at the end of a run.
func (r *Registry) Totals() *Snapshot {
	r.collectMu.Lock()
	defer r.collectMu.Unlock()
	return r.totals
}
