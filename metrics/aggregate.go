package metrics

// Aggregate is the aggregated data of one series (a metric and a tag set), or of
// several series merged (a sub-metric). Which fields are meaningful depends on
// the metric's type:
//
//	Counter: Count (samples), Sum
//	Gauge:   Count, Last, Min, Max
//	Rate:    Count (samples), Trues (non-zero samples)
//	Trend:   Count, Sum, Min, Max, Hist
//
// Aggregates reached through a Snapshot belong to it and must not be modified.
type Aggregate struct {
	Metric *Metric
	Tags   Tags

	Count uint64
	Sum   float64
	Trues uint64
	Min   float64
	Max   float64
	Last  float64
	Hist  *Histogram

	// lastAt orders gauge values from different sinks: nanoseconds since the
	// registry's epoch (monotonic) when Last was set.
	lastAt int64

	// Pads the struct to 128 bytes (a size class of 128-byte aligned objects):
	// two series never share a cache line.
	_ [48]byte
}

func newAggregate(m *Metric, tags Tags) *Aggregate {
	a := &Aggregate{Metric: m, Tags: tags}
	if m.typ == Trend {
		a.Hist = new(Histogram)
	}
	return a
}

// add records one sample; the caller has checked that v is finite.
func (a *Aggregate) add(v float64, now int64) {
	switch a.Metric.typ {
	case Counter:
		a.Sum += v
	case Gauge:
		a.minMax(v, v)
		if a.Count == 0 || now >= a.lastAt { // VUs sharing a shard read the clock before its lock
			a.Last, a.lastAt = v, now
		}
	case Rate:
		if v != 0 {
			a.Trues++
		}
	case Trend:
		a.minMax(v, v)
		a.Sum += v
		a.Hist.Add(v)
	}
	a.Count++
}

func (a *Aggregate) minMax(lo, hi float64) {
	if a.Count == 0 || lo < a.Min {
		a.Min = lo
	}
	if a.Count == 0 || hi > a.Max {
		a.Max = hi
	}
}

// merge adds o's data to a; both belong to the same metric.
func (a *Aggregate) merge(o *Aggregate) {
	if o.Count == 0 {
		return
	}
	switch a.Metric.typ {
	case Gauge:
		a.minMax(o.Min, o.Max)
		if a.Count == 0 || o.lastAt >= a.lastAt {
			a.Last, a.lastAt = o.Last, o.lastAt
		}
	case Trend:
		a.minMax(o.Min, o.Max)
		if a.Hist == nil {
			a.Hist = new(Histogram)
		}
		a.Hist.Merge(o.Hist)
	}
	a.Sum += o.Sum
	a.Trues += o.Trues
	a.Count += o.Count
}

// mergeConcurrent adds o's data to a when they were measured at the same time
// by different processes (the segments of a distributed test): as merge, but
// gauges add up, since each process gauged its own part (its VUs, say). The
// sum of the last values is exact for values that held until the end (vus_max);
// the sums of minima and maxima bound the whole test's.
func (a *Aggregate) mergeConcurrent(o *Aggregate) {
	if a.Metric.typ != Gauge || a.Count == 0 || o.Count == 0 {
		a.merge(o)
		return
	}
	a.Min, a.Max, a.Last = a.Min+o.Min, a.Max+o.Max, a.Last+o.Last
	a.lastAt = max(a.lastAt, o.lastAt)
	a.Count += o.Count
}

// reset empties a, keeping its histogram's buckets for reuse.
func (a *Aggregate) reset() {
	a.Count, a.Sum, a.Trues, a.Min, a.Max, a.Last, a.lastAt = 0, 0, 0, 0, 0, 0, 0
	if a.Hist != nil {
		a.Hist.Reset()
	}
}

func (a *Aggregate) clone() *Aggregate {
	c := *a
	if a.Hist != nil {
		c.Hist = a.Hist.Clone()
	}
	return &c
}

// Avg returns the mean of a Trend (Sum/Count; 0 without samples).
func (a *Aggregate) Avg() float64 {
	if a.Count == 0 {
		return 0
	}
	return a.Sum / float64(a.Count)
}

// Rate returns the fraction of true samples of a Rate (0 without samples).
func (a *Aggregate) Rate() float64 {
	if a.Count == 0 {
		return 0
	}
	return float64(a.Trues) / float64(a.Count)
}

// Falses returns the number of zero ("false") samples of a Rate.
func (a *Aggregate) Falses() uint64 { return a.Count - a.Trues }

// Percentile returns percentile p in [0, 100] of a Trend (p(95) is
// Percentile(95)); 0 for other types or without samples.
func (a *Aggregate) Percentile(p float64) float64 {
	if a.Hist == nil {
		return 0
	}
	return a.Hist.Quantile(p / 100)
}
