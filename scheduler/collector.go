package scheduler

import (
	"time"

	"github.com/jsload/jsload/metrics"
)

// Progress is the state of a run, as the live progress line shows it.
type Progress struct {
	Elapsed  time.Duration
	Planned  time.Duration // 0 when the run ends by iteration count
	VUs      int64         // VUs running now (not waiting for work)
	Interval *metrics.Snapshot
	Totals   *metrics.Snapshot
}

// collectInterval is how often samples are drained from the VUs' sinks.
const collectInterval = time.Second

// startCollector drains the sinks once a second: each interval goes to the outputs
// and the progress callback, and abortOnFail thresholds are evaluated on the
// totals. The returned function stops it and waits for it; it is idempotent.
func (t *Test) startCollector(begin time.Time) func() {
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		tick := time.NewTicker(collectInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				t.collect(begin, now)
			}
		}
	}()
	var stopped bool
	return func() {
		if !stopped {
			stopped = true
			close(done)
			<-ended
		}
	}
}

func (t *Test) collect(begin, now time.Time) {
	b := t.Metrics.Builtins()
	vus := t.runningVUs("")
	t.sysSink.Add(b.VUs, metrics.Tags{}, float64(vus))
	t.sysSink.Add(b.VUsMax, metrics.Tags{}, float64(t.stats.initialised.Load()))
	iv := t.Metrics.CollectAt(now)
	if err := t.outputs.AddInterval(iv); err != nil {
		t.warn("writing metrics output: " + err.Error())
	}
	if m := t.Metrics.Totals().Metric("iterations"); m != nil { // this instance's, for k6/execution
		t.completed.Store(int64(t.Metrics.Totals().Sum(m, metrics.Tags{}).Sum))
	}
	elapsed := now.Sub(begin)
	l, judge := t.live(iv, t.Metrics.Totals(), vus)
	// Where another instance judges abortOnFail thresholds (on the whole
	// test's data), this one does not.
	if res, abort := t.Thresholds.Abort(l.Totals, elapsed); judge && abort && t.thresholdAbort == nil {
		t.thresholdAbort = &ThresholdAbortError{Result: res}
		t.Abort(t.thresholdAbort)
	}
	if t.onProgress != nil {
		t.onProgress(Progress{Elapsed: elapsed, Planned: t.Plan.Whole().PlannedDuration(), VUs: l.VUs,
			Interval: l.Interval, Totals: l.Totals})
	}
}

// ThresholdAbortError is the cause of a run ended by an abortOnFail threshold.
type ThresholdAbortError struct{ Result metrics.Result }

// Error implements error.
func (e *ThresholdAbortError) Error() string {
	return "threshold " + e.Result.Key + " '" + e.Result.Threshold.Source + "' failed: test aborted (abortOnFail)"
}
