package scheduler

import (
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/metrics"
)

// Result is what a test run did.
type Result struct {
	Interrupted     int64 // iterations cut short by a stop
	Duration        time.Duration
	Aborted         error // the cause when the test was aborted, else nil
	UserInterrupted bool  // stopped by Ctrl+C
	Totals          *metrics.Snapshot
	Thresholds      []metrics.Result
	ThresholdAbort  error  // set when an abortOnFail threshold ended the run
	RunPath         string // absolute
	RunNumber       int
	// HandleSummary is what the script's handleSummary returned, as JSON
	// (nil when it has none or returned nothing); see Test.SetSummaryData.
	HandleSummary    []byte
	HandleSummaryErr error
}

// Count returns the total of a Counter metric (e.g. "iterations").
func (r *Result) Count(metric string) int64 {
	m := r.Totals.Metric(metric)
	if m == nil {
		return 0
	}
	return int64(r.Totals.Sum(m, metrics.Tags{}).Sum)
}

// CountWhere is Count over the series of metric that have the tags of filter.
func (r *Result) CountWhere(metric string, filter metrics.Tags) int64 {
	m := r.Totals.Metric(metric)
	if m == nil {
		return 0
	}
	return int64(r.Totals.Sum(m, filter).Sum)
}

// RequestsCut counts the HTTP requests the end of the test cut: recorded by
// the HTTP binding as failed, tagged interrupted=true.
func (r *Result) RequestsCut() int64 {
	return r.CountWhere("http_reqs", metrics.NewTags("interrupted", "true"))
}

// ThresholdsFailed reports whether any threshold failed.
func (r *Result) ThresholdsFailed() bool {
	return r.ThresholdAbort != nil || metrics.Failed(r.Thresholds)
}

type stats struct {
	interrupted atomic.Int64
	initialised atomic.Int64 // VUs created so far
}
