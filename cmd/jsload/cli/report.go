package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jsload/jsload/report"
)

// reportCmd is `jsload report [--out FILE] <run folder or summary export>`: it
// makes the HTML report again, from a run folder (results/shop/3) or from a
// summary export (a --summary-export file, or one that jsload merge wrote).
func reportCmd(args []string, io IO) int {
	var out string
	fs := newFlagSet("report", "jsload report [--out FILE] <run folder or summary export>", io.Stdout)
	fs.StringVarP(&out, "out", "o", "", "where to write the report (default: report.html in the run folder, or the export's name with .html)")
	if err := fs.Parse(args); err != nil {
		return flagError(io, fs, err)
	}
	if fs.NArg() != 1 {
		return exitCode(io.Stderr, &usageError{fmt.Errorf("give one run folder or summary export, e.g. jsload report results/shop/3")})
	}
	src := fs.Arg(0)
	in, err := report.Load(src)
	if err != nil {
		return exitCode(io.Stderr, &usageError{err})
	}
	if out == "" {
		out = defaultReportPath(src)
	}
	if err := report.WriteFile(out, in); err != nil {
		return exitCode(io.Stderr, err)
	}
	if in.Series == nil {
		fmt.Fprintf(io.Stderr, "jsload report: no %s beside %s: the report has no plots over time\n", report.SeriesFile, src)
	}
	fmt.Fprintf(io.Stdout, "report written to %s\n", out)
	return ExitOK
}

func defaultReportPath(src string) string {
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		return filepath.Join(src, report.HTMLFile)
	}
	return strings.TrimSuffix(src, filepath.Ext(src)) + ".html"
}
