package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/report"
	"github.com/jsload/jsload/scheduler"
)

// seriesFile collects the per-second series of a run while it runs. The run's
// folder is made when the run starts, so the series goes to a temporary file
// beside the folders of the runs and moves into the run's folder at the end.
type seriesFile struct {
	tmp string
	out *metrics.SeriesOutput
}

func newSeriesFile(resultsDir string) (*seriesFile, error) {
	if err := os.MkdirAll(resultsDir, 0o755); err != nil {
		return nil, fmt.Errorf("create results folder: %w (choose another with --results-dir)", err)
	}
	f, err := os.CreateTemp(resultsDir, ".series-*.ndjson")
	if err == nil {
		err = f.Chmod(0o644) // CreateTemp made it private
	}
	if err != nil {
		return nil, fmt.Errorf("create the run's series file: %w (choose another folder with --results-dir)", err)
	}
	return &seriesFile{tmp: f.Name(), out: metrics.NewSeriesOutput(f)}, nil
}

// moveTo closes the series and moves it into the run folder dir.
func (sf *seriesFile) moveTo(dir string) error {
	if err := sf.out.Close(); err != nil {
		sf.discard()
		return err
	}
	if err := os.Rename(sf.tmp, filepath.Join(dir, report.SeriesFile)); err != nil {
		sf.discard()
		return fmt.Errorf("move the series into %s: %w", dir, err)
	}
	return nil
}

// discard removes the series of a run that did not happen.
func (sf *seriesFile) discard() {
	_ = sf.out.Close()
	_ = os.Remove(sf.tmp)
}

// summaryData builds the argument of handleSummary for a run; tty says
// whether stdout and stderr are terminals.
func summaryData(test *scheduler.Test, tty [2]bool, opts metrics.SummaryOptions) func(*scheduler.Result) ([]byte, error) {
	return func(res *scheduler.Result) ([]byte, error) {
		errs := runErrors(test)
		return metrics.SummaryData(res.Totals, res.Thresholds, metrics.SummaryState{
			IsStdOutTTY: tty[0], IsStdErrTTY: tty[1],
			TestRunDuration: res.Duration, TestName: test.TestName(), RunPath: res.RunPath,
			RunNumber: res.RunNumber, Errors: errs, Text: string(summaryText(res, test, opts, errs)),
		})
	}
}

func runErrors(test *scheduler.Test) []metrics.ExportError {
	var out []metrics.ExportError
	for _, e := range test.Errors.Messages() {
		out = append(out, metrics.NewExportError(e.Message, e.Count))
	}
	return out
}

// summaryText renders the end-of-test summary as printed: the metrics with
// thresholds, checks and transactions, the run's own figures, and the script
// errors grouped by location.
func summaryText(res *scheduler.Result, test *scheduler.Test, opts metrics.SummaryOptions, errs []metrics.ExportError) []byte {
	var b bytes.Buffer
	b.WriteString("\n")
	if err := metrics.WriteSummaryWith(&b, res.Totals, res.Thresholds, opts); err != nil {
		fmt.Fprintf(&b, "summary: %v\n", err)
	}
	_ = metrics.WriteErrors(&b, errs)
	dropped := ""
	if n := res.Count("dropped_iterations"); n > 0 {
		dropped = fmt.Sprintf(", %d dropped (no free VU)", n)
	}
	if n := res.RequestsCut(); n > 0 {
		dropped += fmt.Sprintf(", %d %s cut by the stop (failed, error_code 1060, tagged interrupted=true)", n, map[bool]string{true: "request", false: "requests"}[n == 1])
	}
	fmt.Fprintf(&b, "  %d iterations completed, %d failed, %d interrupted%s in %s; results in %s\n",
		res.Count("iterations"), res.Count("iterations_failed"), res.Interrupted, dropped,
		res.Duration.Round(time.Millisecond), displayPath(res.RunPath))
	return b.Bytes()
}

// displayPath shows path relative to the working folder when it is inside it.
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// fillRunFolder writes the files of a finished run into its folder: the text
// summary, the summary export, the series (moved in) and the HTML report. A
// failure is reported on stderr and does not change the exit code. It returns
// the text summary and the export.
func fillRunFolder(io IO, test *scheduler.Test, res *scheduler.Result, opts metrics.SummaryOptions, series *seriesFile) ([]byte, *metrics.Export) {
	errs := runErrors(test)
	text := summaryText(res, test, opts, errs)
	export := metrics.NewExport(res.Totals, res.Thresholds)
	export.Test, export.Errors = test.TestName(), errs
	export.Segment = exportSegment(test, test.RunID())
	dir := res.RunPath
	warn := func(err error) { fmt.Fprintf(io.Stderr, "jsload: results folder: %v\n", err) }
	if err := os.WriteFile(filepath.Join(dir, report.SummaryText), text, 0o644); err != nil {
		warn(err)
	}
	if err := metrics.WriteExportFile(filepath.Join(dir, report.SummaryJSON), export); err != nil {
		warn(err)
	}
	in := report.Input{Export: export, Source: displayPath(dir)}
	if err := series.moveTo(dir); err != nil {
		warn(err)
	} else if in, err = report.Load(dir); err != nil {
		warn(err)
		in = report.Input{Export: export, Source: displayPath(dir)}
	}
	in.Source = displayPath(dir)
	if err := report.WriteFile(filepath.Join(dir, report.HTMLFile), in); err != nil {
		warn(err)
	}
	return text, export
}

// writeHandledSummary writes what handleSummary returned: each key is
// "stdout", "stderr" or a file path (relative to the working folder), each
// value its content, a string. It reports false when handleSummary failed or
// returned something else, after saying so on stderr: the default summary is
// then printed instead.
func writeHandledSummary(io IO, res *scheduler.Result) bool {
	if res.HandleSummaryErr != nil {
		fmt.Fprintf(io.Stderr, "jsload: %v\n", res.HandleSummaryErr)
		return false
	}
	if res.HandleSummary == nil {
		return true // k6 too prints nothing when handleSummary returns nothing
	}
	var files map[string]json.RawMessage
	if err := json.Unmarshal(res.HandleSummary, &files); err != nil {
		fmt.Fprintln(io.Stderr, "jsload: handleSummary() must return an object of file names (or 'stdout', 'stderr') to contents, e.g. { stdout: 'text', 'summary.json': JSON.stringify(data) }")
		return false
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		var content string
		if err := json.Unmarshal(files[name], &content); err != nil {
			fmt.Fprintf(io.Stderr, "jsload: handleSummary() returned a %s for %q: return a string, e.g. JSON.stringify(data)\n", jsonKind(files[name]), name)
			continue
		}
		if err := writeSummaryTarget(io, name, content); err != nil {
			fmt.Fprintf(io.Stderr, "jsload: handleSummary(): %v\n", err)
		}
	}
	return true
}

func writeSummaryTarget(out IO, name, content string) error {
	var w io.Writer
	switch name {
	case "stdout":
		w = out.Stdout
	case "stderr":
		w = out.Stderr
	default:
		if dir := filepath.Dir(name); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("write %s: %w", name, err)
			}
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		return nil
	}
	_, err := io.WriteString(w, content)
	return err
}

func jsonKind(raw json.RawMessage) string {
	switch s := strings.TrimSpace(string(raw)); {
	case strings.HasPrefix(s, "{"):
		return "object"
	case strings.HasPrefix(s, "["):
		return "array"
	case s == "null":
		return "null"
	case s == "true", s == "false":
		return "boolean"
	}
	return "number"
}
