// Package report renders the HTML report of a run: one self-contained
// report.html with plots over time (active VUs, request rate, response-time
// percentiles, errors and failed checks per second, per transaction and per VU
// group), the threshold results, the checks, the transactions and the errors
// grouped by location.
//
// The plots are drawn by uPlot (MIT, vendored under uplot/ and embedded with
// go:embed): the page carries the library, its own small script that hands
// each chart its data, and the data, so it opens offline. The report is made
// from the files of a run folder: summary.json (the --summary-export format)
// and series.ndjson (metrics.SeriesOutput); Load reads them back, so
// `jsload report` regenerates a report from a run folder or from an export,
// a merged one included.
package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jsload/jsload/metrics"
)

// The files of a run folder.
const (
	SummaryText = "summary.txt"   // the end-of-test summary, as printed
	SummaryJSON = "summary.json"  // the summary export (--summary-export format)
	SeriesFile  = "series.ndjson" // one metrics.SeriesPoint per collection interval
	HTMLFile    = "report.html"   // this package's report
)

// uplotVersion is the version of the vendored uPlot (see uplot/README.md).
const uplotVersion = "1.6.32"

// Input is what a report is made of.
type Input struct {
	// Export is the run's summary export; required.
	Export *metrics.Export
	// Series are the run's collection intervals, oldest first; without them
	// the report has tables but no plots.
	Series []metrics.SeriesPoint
	// Source names where the data came from (a run folder), shown in the
	// report; optional.
	Source string
}

// Load reads the input of a report from path: a run folder (its summary.json
// and series.ndjson), or a summary export file, with the series.ndjson beside
// it when there is one.
func Load(path string) (Input, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Input{}, fmt.Errorf("report: %w (give a run folder, e.g. results/shop/3, or a summary export)", err)
	}
	dir, export := filepath.Dir(path), path
	if st.IsDir() {
		dir, export = path, filepath.Join(path, SummaryJSON)
	}
	e, err := metrics.ReadExportFile(export)
	if err != nil {
		if st.IsDir() && errors.Is(err, fs.ErrNotExist) {
			return Input{}, fmt.Errorf("report: %s has no %s: is it a run folder of jsload?", path, SummaryJSON)
		}
		return Input{}, fmt.Errorf("report: %w", err)
	}
	in := Input{Export: e, Source: path}
	f, err := os.Open(filepath.Join(dir, SeriesFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return in, nil
	case err != nil:
		return Input{}, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	if in.Series, err = metrics.ReadSeries(f); err != nil {
		return Input{}, fmt.Errorf("report: %s: %w", f.Name(), err)
	}
	return in, nil
}

// WriteFile writes the report of in to path atomically: to a temporary file
// in the same folder, then renamed.
func WriteFile(path string, in Input) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".report-*.html")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(f.Name()) // no-op after the rename
	if err := Write(f, in); err != nil {
		f.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// Write renders the report of in as one HTML page.
func Write(w io.Writer, in Input) error {
	if in.Export == nil {
		return fmt.Errorf("write report: no summary export")
	}
	p, err := newPage(in)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := pageTemplate.Execute(w, p); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
