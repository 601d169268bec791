package cli

import (
	"fmt"

	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/scheduler"
)

// mergeCmd merges the summary exports of the segments of a distributed test
// (jsload merge a.json b.json ...): it prints the summary of the whole test,
// evaluates the thresholds recorded in the exports on it (exit 99 when one
// fails) and, with --out, writes the merged export.
func mergeCmd(args []string, io IO) int {
	fs := newFlagSet("merge", "jsload merge [--out merged.json] export.json...", io.Stdout)
	out := fs.StringP("out", "o", "", "write the merged export, with the thresholds' results, to FILE")
	tags := fs.StringArray("summary-tag", nil, "add a summary section breaking the main metrics down by the values of tag KEY (repeatable)")
	if err := fs.Parse(args); err != nil {
		return flagError(io, fs, err)
	}
	if fs.NArg() == 0 {
		return exitCode(io.Stderr, &usageError{fmt.Errorf("give the --summary-export files of the segments, e.g. jsload merge seg0.json seg1.json seg2.json")})
	}
	exports := make([]*metrics.Export, fs.NArg())
	for i, path := range fs.Args() {
		e, err := metrics.ReadExportFile(path)
		if err != nil {
			return exitCode(io.Stderr, &usageError{err})
		}
		exports[i] = e
	}
	m, err := mergeSegments(fs.Args(), exports)
	if err != nil {
		return exitCode(io.Stderr, &usageError{err})
	}
	for _, n := range m.notes {
		fmt.Fprintf(io.Stderr, "jsload merge: %s\n", n)
	}
	if err := metrics.WriteSummaryWith(io.Stdout, m.snap, m.results, metrics.SummaryOptions{ByTags: *tags}); err != nil {
		return exitCode(io.Stderr, err)
	}
	_ = metrics.WriteErrors(io.Stdout, m.export.Errors)
	if *out != "" {
		if err := metrics.WriteExportFile(*out, m.export); err != nil {
			return exitCode(io.Stderr, err)
		}
	}
	if metrics.Failed(m.results) {
		fmt.Fprintln(io.Stderr, "jsload: some thresholds failed")
		return ExitThresholds
	}
	return ExitOK
}

// merged is the whole test made of its segments' exports.
type merged struct {
	export  *metrics.Export // with the thresholds' results
	snap    *metrics.Snapshot
	results []metrics.Result
	notes   []string // segments missing
}

// mergeSegments merges the exports (read from names) of the segments of one
// test and evaluates the thresholds they recorded on the merge.
func mergeSegments(names []string, exports []*metrics.Export) (*merged, error) {
	missing, err := metrics.CheckSegments(names, exports...)
	if err != nil {
		return nil, err
	}
	th, err := metrics.ExportedThresholds(exports...)
	if err != nil {
		return nil, fmt.Errorf("the thresholds recorded in the exports: %w", err)
	}
	all, err := metrics.MergeExports(exports...)
	if err != nil {
		return nil, err
	}
	snap, err := all.Snapshot()
	if err != nil {
		return nil, err
	}
	m := &merged{snap: snap, results: th.Evaluate(snap)}
	m.export = metrics.NewExport(snap, m.results)
	m.export.Test, m.export.Errors = all.Test, all.Errors
	if len(missing) > 0 {
		m.notes = append(m.notes, fmt.Sprintf("missing segments: %s; the merge covers part of the test only", metrics.FormatSegments(missing)))
	}
	return m, nil
}

// exportSegment is the segment an export of test covers, nil for a whole test.
func exportSegment(test *scheduler.Test, runID string) *metrics.ExportSegment {
	seg := test.Plan.Segment
	if seg.Count == 0 {
		return nil
	}
	return &metrics.ExportSegment{Index: seg.Index, Count: seg.Count, RunID: runID}
}
