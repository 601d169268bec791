package metrics

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Registry holds the metric definitions of a run, the shards that VUs' sinks
// record into, and the totals collected from them. All its methods are safe for
// concurrent use. Collect and Totals are meant for one collector goroutine, but
// concurrent calls are serialised rather than corrupting anything.
type Registry struct {
	builtins Builtins
	epoch    time.Time // monotonic origin of gauge timestamps

	mu      sync.Mutex // guards metrics, byName
	byName  map[string]*Metric
	metrics []*Metric // sorted by name

	shards    []*shard      // fixed at creation
	nextShard atomic.Uint32 // NewSink's round robin

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
		shards: newShards(runtime.GOMAXPROCS(0)),
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

// newShards returns the shards of a registry for procs processors: two per
// processor, so that two VUs running at the same time on different
// processors seldom share one, and as few as that, so that each shard's
// series stay in the cache of those that record into it.
func newShards(procs int) []*shard {
	shards := make([]*shard, 2*max(procs, 1))
	for i := range shards {
		shards[i] = newShard()
	}
	return shards
}

// NewSink returns a new sink recording into r. Give each VU its own and Close
// it when the VU ends.
func (r *Registry) NewSink() *Sink {
	i := r.nextShard.Add(1) % uint32(len(r.shards))
	return &Sink{reg: r, sh: r.shards[i]}
}

// clock returns the monotonic time since the registry's epoch.
func (r *Registry) clock() int64 { return int64(time.Since(r.epoch)) }

// Collect drains every shard and returns the samples recorded since the
// previous Collect (or since the start), covering [previous Collect, now]. It
// also adds them to the totals. Each shard's lock is held only while that
// shard is drained; VUs keep recording into the others meanwhile.
func (r *Registry) Collect() *Snapshot { return r.CollectAt(time.Now()) }

// CollectAt is Collect with the collection time given, for tests and replays.
func (r *Registry) CollectAt(now time.Time) *Snapshot {
	r.collectMu.Lock()
	defer r.collectMu.Unlock()

	r.mu.Lock()
	ms := r.metrics
	r.mu.Unlock()

	iv := newSnapshot(r.last, now, ms)
	for _, sh := range r.shards {
		sh.drain(iv)
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
