package metrics

import (
	"sync"
	"sync/atomic"
	"time"
)

// maxDerivedTags bounds the cache of Tagged tag sets of a sink.
const maxDerivedTags = 1024

// Sink is one VU's way of recording samples (its main runtime's and its
// background scripts'). It is safe for concurrent use. Recording allocates
// only the first time a series appears in an interval.
//
// The samples land in one of the registry's shards, which several VUs share:
// a VU's own series were rarely still in the CPU cache when its next sample
// came (hundreds of other VUs run in between), while a shard's series, hit by
// all of its VUs, mostly are; and idle VUs hold no series of their own. There
// are a few shards per processor (see newShards), so VUs on different
// processors seldom wait on each other's lock.
//
// Close it when the VU ends: its later samples are discarded, and the samples
// already recorded reach the totals at the next Collect.
type Sink struct {
	reg    *Registry
	sh     *shard
	closed atomic.Bool
}

// shard aggregates the samples of its sinks, per series, until the
// registry's collector drains it.
type shard struct {
	mu      sync.Mutex
	series  map[seriesKey]*Aggregate
	groups  map[groupKey]*groupSeries // each (SeriesGroup, tags) in use, see AddGroup
	pending *pendingGroups            // AddGroup's samples not yet aggregated
	derived map[derivedKey]Tags       // see Tagged

	// Pads the struct to 128 bytes, an allocation size class whose objects
	// are 128-byte aligned, so two shards never share a cache line.
	_ [88]byte
}

func newShard() *shard { return &shard{series: map[seriesKey]*Aggregate{}} }

// derivedKey caches base tags extended with key=value (check=<name>,
// transaction=<name>), see Tagged.
type derivedKey struct {
	base       Tags
	key, value string
}

// Add records sample v of metric m with tags: for a Counter the amount to add,
// for a Gauge the new value, for a Rate 0 (false) or anything else (true), for
// a Trend the value (milliseconds for time metrics). NaN and infinite values,
// nil metrics and samples on a closed sink are ignored.
func (s *Sink) Add(m *Metric, tags Tags, v float64) {
	if m == nil || !finite(v) || s.closed.Load() {
		return
	}
	var now int64
	if m.typ == Gauge {
		now = s.reg.clock()
	}
	sh := s.sh
	sh.mu.Lock()
	sh.addLocked(m, tags, v, now)
	sh.mu.Unlock()
}

// addLocked aggregates one sample; s.mu is held.
func (s *shard) addLocked(m *Metric, tags Tags, v float64, now int64) {
	k := seriesKey{m, tags}
	a := s.series[k]
	if a == nil {
		a = newAggregate(m, tags)
		s.series[k] = a
	}
	if p := s.pending; p != nil && m.typ != Gauge { // see pendingGroups
		if p.ns == pendingSingles {
			p.flush()
		}
		p.singles[p.ns], p.singleVals[p.ns] = a, v
		p.ns++
		return
	}
	a.add(v, now)
}

// Sample is one value of one metric, for Sink.AddSamples.
type Sample struct {
	Metric *Metric
	Value  float64
}

// AddSamples records several samples sharing one tag set under a single lock
// acquisition, e.g. the metrics of one HTTP request. Values are as for Add.
// Passing the samples as a literal list (AddSamples(tags, Sample{...}, ...))
// does not allocate.
func (s *Sink) AddSamples(tags Tags, samples ...Sample) {
	if s.closed.Load() {
		return
	}
	var now int64
	for _, smp := range samples {
		if smp.Metric != nil && smp.Metric.typ == Gauge {
			now = s.reg.clock()
			break
		}
	}
	sh := s.sh
	sh.mu.Lock()
	for _, smp := range samples {
		if smp.Metric != nil && finite(smp.Value) {
			sh.addLocked(smp.Metric, tags, smp.Value, now)
		}
	}
	sh.mu.Unlock()
}

// AddBool records a Rate sample: true or false.
func (s *Sink) AddBool(m *Metric, tags Tags, ok bool) { s.Add(m, tags, rateValue(ok)) }

// rateValue is the Rate sample of ok: 1 (true) or 0 (false).
func rateValue(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// AddDuration records a duration into a time Trend, in milliseconds.
func (s *Sink) AddDuration(m *Metric, tags Tags, d time.Duration) {
	s.Add(m, tags, float64(d)/float64(time.Millisecond))
}

// Check records the result of one check: a sample of the built-in Rate checks
// tagged with base plus check=<name>.
func (s *Sink) Check(base Tags, name string, ok bool) {
	s.AddBool(s.reg.builtins.Checks, s.Tagged(base, TagCheck, name), ok)
}

// Transaction records one finished transaction: its duration in
// transaction_duration and its outcome in transactions, both tagged with base
// plus transaction=<name>. Timing the transaction (startTransaction /
// endTransaction) is up to the caller.
func (s *Sink) Transaction(base Tags, name string, d time.Duration, ok bool) {
	b := &s.reg.builtins
	s.AddSamples(s.Tagged(base, TagTransaction, name),
		Sample{b.TransactionDuration, float64(d) / float64(time.Millisecond)},
		Sample{b.Transactions, rateValue(ok)})
}

// Tagged returns base.With(key, value), cached per shard (up to 1,024 tag
// sets) so that tagging repeated samples the same way (checks, transactions,
// rendezvous points) does not allocate. Use it for values drawn from a small
// set, such as names in a script, not for unbounded ones.
func (s *Sink) Tagged(base Tags, key, value string) Tags {
	k := derivedKey{base, key, value}
	sh := s.sh
	sh.mu.Lock()
	t, ok := sh.derived[k]
	sh.mu.Unlock()
	if ok {
		return t
	}
	t = base.With(key, value)
	sh.mu.Lock()
	if sh.derived == nil {
		sh.derived = map[derivedKey]Tags{}
	}
	if len(sh.derived) < maxDerivedTags {
		sh.derived[k] = t
	}
	sh.mu.Unlock()
	return t
}

// Close retires the sink: later samples are discarded. Close is idempotent.
func (s *Sink) Close() { s.closed.Store(true) }

// drain merges the shard's samples into iv and empties it. Series that had no
// sample during the whole interval are forgotten, so a shard holds only the
// series in current use.
func (s *shard) drain(iv *Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drainGroups()
	for k, a := range s.series {
		if a.Count == 0 {
			delete(s.series, k)
			continue
		}
		iv.mergeAggregate(a)
		a.reset()
	}
}
