package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/jsload/jsload/coord"
	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/scheduler"
)

// distFlags are the flags of a distributed run, besides --segment and --run-id.
type distFlags struct {
	coordinator    string
	startTimeout   time.Duration
	collectTimeout time.Duration
	mergedExport   string
	client         *coord.Client // dialled by prepare when --coordinator is given
}

func (d *distFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&d.coordinator, "coordinator", "", "redis://host:port/db of a Redis or Valkey server that joins the segments of the run: start barrier, shared store, rendezvous, aborts, live thresholds (default $JSLOAD_COORDINATOR)")
	fs.DurationVar(&d.startTimeout, "start-timeout", 5*time.Minute, "with --coordinator: how long the segments wait for each other at the start")
	fs.DurationVar(&d.collectTimeout, "collect-timeout", 2*time.Minute, "with --coordinator, in segment 0: how long to wait for the other segments' results after its own end")
	fs.StringVar(&d.mergedExport, "merged-export", "", "with --coordinator, in segment 0: write the merged summary export of the whole test to FILE")
}

// dial connects to the coordinator of a distributed run, when one is given.
func (d *distFlags) dial(seg scheduler.Segment, runID string, log io.Writer) (*coord.Client, error) {
	if d.coordinator == "" {
		if d.mergedExport != "" {
			return nil, &usageError{errors.New("--merged-export needs --coordinator (without one, merge the segments' exports with jsload merge)")}
		}
		return nil, nil
	}
	if seg.Count == 0 {
		return nil, &usageError{errors.New("--coordinator needs --segment I/N: the coordinator joins the segments of one test")}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := coord.Dial(ctx, coord.Config{URL: d.coordinator, RunID: runID, Index: seg.Index, Count: seg.Count,
		Log: log, StartTimeout: d.startTimeout})
	if err != nil {
		return nil, &usageError{err}
	}
	d.client = c
	return c, nil
}

// finishDistributed ends a run that has a coordinator: the segment hands its
// export over; segment 0 collects every segment's, prints the summary of the
// whole test, writes --merged-export and decides the exit code on the whole
// test's thresholds (results missing count as lost). The other segments leave
// the thresholds to segment 0 once their export is delivered (an abortOnFail
// threshold of the whole test still exits 99). It returns the exit code, or
// false to decide it as for one process (the coordinator is gone).
func finishDistributed(out IO, c *coord.Client, res *scheduler.Result, export *metrics.Export, f *runFlags, lost bool) (int, bool) {
	var se *scheduler.StartError
	if errors.As(res.Aborted, &se) {
		return exitOfRun(out, res, f.noFailOnError, lost), true // never ran together: nothing to merge
	}
	ctx := context.Background()
	if err := c.PutExport(ctx, export); err != nil {
		fmt.Fprintf(out.Stderr, "jsload: this segment's results did not reach segment 0 (%v): judged here; merge the segments' exports with jsload merge\n", err)
		return 0, false
	}
	judged := *res
	if export.Segment.Index != 0 {
		if res.ThresholdAbort == nil && metrics.Failed(res.Thresholds) {
			fmt.Fprintln(out.Stderr, "jsload: this segment's thresholds failed; segment 0 judges the whole test's")
		}
		judged.Thresholds = nil
		return exitOfRun(out, &judged, f.noFailOnError, lost), true
	}
	d := &f.dist
	fmt.Fprintf(out.Stderr, "jsload: waiting up to %s for the results of the other segments\n", d.collectTimeout)
	exports, missing, err := c.CollectExports(ctx, d.collectTimeout)
	if err != nil {
		fmt.Fprintf(out.Stderr, "jsload: collecting the segments' results: %v: judged on this segment alone\n", err)
		return 0, false
	}
	names := make([]string, len(exports))
	for i, e := range exports {
		names[i] = fmt.Sprintf("segment %d", e.Segment.Index)
	}
	m, err := mergeSegments(names, exports)
	if err != nil {
		fmt.Fprintf(out.Stderr, "jsload: merging the segments' results: %v\n", err)
		return ExitInternalError, true
	}
	fmt.Fprintf(out.Stdout, "\n█ THE WHOLE TEST: %d of %d segments merged\n", len(exports), export.Segment.Count)
	if len(missing) > 0 {
		fmt.Fprintf(out.Stdout, "  missing segments: %s (no results within --collect-timeout)\n", metrics.FormatSegments(missing))
		fmt.Fprintf(out.Stderr, "jsload: the results of segments %s are missing\n", metrics.FormatSegments(missing))
		lost = true
	}
	fmt.Fprintln(out.Stdout)
	_ = metrics.WriteSummary(out.Stdout, m.snap, m.results)
	if d.mergedExport != "" {
		if err := metrics.WriteExportFile(d.mergedExport, m.export); err != nil {
			fmt.Fprintf(out.Stderr, "jsload: --merged-export: %v\n", err)
			lost = true
		}
	}
	judged.Thresholds = m.results
	judged.Totals = m.snap // every iteration failed, or not, in the whole test
	return exitOfRun(out, &judged, f.noFailOnError, lost), true
}
