package metrics

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// SeriesPoint is one collection interval of a run as the HTML report plots
// it: active VUs, then the requests, iterations and checks of the interval,
// for the whole test and per VU group, and each transaction's durations.
// Values are per interval, not per second: divide by Period for rates.
type SeriesPoint struct {
	Time    time.Time `json:"time"`    // end of the interval
	Elapsed float64   `json:"elapsed"` // seconds from the run's start to Time
	Period  float64   `json:"period"`  // seconds the interval covers
	VUs     float64   `json:"vus"`     // running VUs at the end of the interval

	All          SliceStats            `json:"all"`
	Groups       map[string]SliceStats `json:"groups,omitempty"`
	Transactions map[string]TxStats    `json:"transactions,omitempty"`
}

// SliceStats are the figures of one interval for the whole test or one group.
type SliceStats struct {
	Requests     float64    `json:"reqs"`               // http_reqs
	FailedReqs   float64    `json:"failedReqs"`         // true samples of http_req_failed
	Duration     *Quantiles `json:"duration,omitempty"` // http_req_duration; nil without requests
	Iterations   float64    `json:"iterations"`         // completed iterations
	FailedIters  float64    `json:"failedIterations"`   // iterations_failed
	FailedChecks float64    `json:"failedChecks"`       // false samples of checks
	IterDuration *Quantiles `json:"iterDuration,omitempty"`
}

// TxStats are one transaction's figures in one interval.
type TxStats struct {
	Count    float64    `json:"count"`
	Failed   float64    `json:"failed"`
	Duration *Quantiles `json:"duration,omitempty"`
}

// Quantiles summarise a Trend's samples of one interval, in its unit (ms for
// durations).
type Quantiles struct {
	Count uint64  `json:"count"`
	Avg   float64 `json:"avg"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}

func quantiles(a *Aggregate) *Quantiles {
	if a.Count == 0 {
		return nil
	}
	return &Quantiles{Count: a.Count, Avg: a.Avg(), P50: a.Percentile(50), P90: a.Percentile(90),
		P95: a.Percentile(95), P99: a.Percentile(99), Max: a.Max}
}

// NewSeriesPoint summarises the interval iv of a run that began at begin.
func NewSeriesPoint(iv *Snapshot, begin time.Time) SeriesPoint {
	p := SeriesPoint{Time: iv.End.UTC(), Elapsed: iv.End.Sub(begin).Seconds(), Period: iv.Elapsed().Seconds(),
		All: sliceStats(iv, Tags{})}
	if m := iv.Metric("vus"); m != nil {
		p.VUs = iv.Sum(m, Tags{}).Last
	}
	if groups := RunGroups(iv); len(groups) > 0 {
		p.Groups = make(map[string]SliceStats, len(groups))
		for _, g := range groups {
			p.Groups[g] = sliceStats(iv, NewTags(TagGroup, g))
		}
	}
	if m := iv.Metric("transaction_duration"); m != nil {
		for _, g := range iv.GroupBy(m, TagTransaction) {
			if p.Transactions == nil {
				p.Transactions = map[string]TxStats{}
			}
			tx := TxStats{Count: float64(g.Count), Duration: quantiles(g.Aggregate)}
			if o := iv.Metric("transactions"); o != nil {
				tx.Failed = float64(iv.Sum(o, g.Tags).Falses())
			}
			p.Transactions[g.Value] = tx
		}
	}
	return p
}

func sliceStats(iv *Snapshot, filter Tags) SliceStats {
	sum := func(name string) *Aggregate {
		if m := iv.Metric(name); m != nil {
			return iv.Sum(m, filter)
		}
		return &Aggregate{}
	}
	return SliceStats{
		Requests:     sum("http_reqs").Sum,
		FailedReqs:   float64(sum("http_req_failed").Trues),
		Duration:     quantiles(sum("http_req_duration")),
		Iterations:   sum("iterations").Sum,
		FailedIters:  sum("iterations_failed").Sum,
		FailedChecks: float64(sum("checks").Falses()),
		IterDuration: quantiles(sum("iteration_duration")),
	}
}

// SeriesOutput is the Output that writes one SeriesPoint per collection
// interval as a line of JSON (NDJSON), flushed at once: the per-second series
// of a run folder (series.ndjson), which the HTML report plots. The totals are
// not written. It is safe for concurrent use.
type SeriesOutput struct {
	mu     sync.Mutex
	begin  time.Time
	bw     *bufio.Writer
	dst    io.Writer
	closed bool
	err    error
}

// NewSeriesOutput returns a SeriesOutput writing to w; Close closes w when it
// is an io.Closer. The run is taken to begin where the first interval starts.
func NewSeriesOutput(w io.Writer) *SeriesOutput {
	return &SeriesOutput{bw: bufio.NewWriter(w), dst: w}
}

// AddInterval writes the point of the interval s.
func (o *SeriesOutput) AddInterval(s *Snapshot) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.begin.IsZero() {
		o.begin = s.Start
	}
	p := NewSeriesPoint(s, o.begin)
	if o.closed {
		return ErrOutputClosed
	}
	if o.err != nil {
		return o.err
	}
	line, err := json.Marshal(p)
	if err != nil {
		o.err = fmt.Errorf("write series: %w", err)
		return o.err
	}
	o.bw.Write(line)
	o.bw.WriteByte('\n')
	if err := o.bw.Flush(); err != nil {
		o.err = fmt.Errorf("write series: %w", err)
	}
	return o.err
}

// AddTotals does nothing: the series holds intervals only.
func (o *SeriesOutput) AddTotals(*Snapshot) error { return nil }

// Close flushes and closes the destination. It is idempotent.
func (o *SeriesOutput) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.closed = true
	err := o.err
	if ferr := o.bw.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("write series: %w", ferr)
	}
	if c, ok := o.dst.(io.Closer); ok {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close series: %w", cerr)
		}
	}
	return err
}

// ReadSeries decodes the NDJSON a SeriesOutput wrote. A line cut short at the
// end (a run killed while writing) is ignored; any other bad line is an error
// naming it.
func ReadSeries(r io.Reader) ([]SeriesPoint, error) {
	var points []SeriesPoint
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	line := 0
	var pending error
	for sc.Scan() {
		line++
		if pending != nil {
			return nil, pending
		}
		var p SeriesPoint
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			pending = fmt.Errorf("read series: line %d: %w", line, err)
			continue
		}
		points = append(points, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read series: %w", err)
	}
	return points, nil
}
