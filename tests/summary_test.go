package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestHandleSummary: the script's handleSummary gets k6's data shape (its
// checks throw otherwise) and its return value goes to stdout and to files;
// the default summary is not printed, and the run folder is filled anyway.
func TestHandleSummary(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	r := run(t, nil, "run", "-q", "-e", "OUT="+out, "testdata/handlesummary.js")
	r.expect(t, cli.ExitOK, []string{"custom summary: 3 iterations\n"}, nil)
	if strings.Contains(r.stdout, "█ METRICS") || r.stderr != "" {
		t.Errorf("want only the script's summary:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	var data map[string]any
	raw, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil || json.Unmarshal(raw, &data) != nil || data["metrics"] == nil {
		t.Errorf("summary.json written by handleSummary: %v %.200s", err, raw)
	}
	if b, err := os.ReadFile(filepath.Join(out, "nested", "count.txt")); err != nil || string(b) != "3" {
		t.Errorf("nested/count.txt: %q, %v", b, err)
	}
	// The run folder (beside out, under the test's temporary folder) has its
	// files too.
	for _, s := range []string{"summary.txt", "report.html"} {
		matches, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*", "handlesummary", "1", s))
		if len(matches) != 1 {
			t.Errorf("the run folder lacks %s", s)
		}
	}
}

// TestHandleSummaryFails: a handleSummary that throws, or returns what is no
// file content, is reported and the default summary printed instead.
func TestHandleSummaryFails(t *testing.T) {
	t.Parallel()
	run(t, nil, "run", "-q", "testdata/throwingsummary.js").expect(t, cli.ExitOK, []string{"█ METRICS", "1 iterations completed"},
		[]string{"handleSummary(): Error: no summary today at testdata/throwingsummary.js:3:"})
	run(t, nil, "run", "-q", "testdata/badsummary.js").expect(t, cli.ExitOK, nil,
		[]string{`handleSummary() returned a number for "stdout": return a string`})
}

// TestReportCommand: jsload report makes the report of a run folder again,
// and one of a summary export (without its series: no plots).
func TestReportCommand(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "-q", "testdata/ran.js")
	r.expect(t, cli.ExitOK, nil, nil)
	dir := runFolder(t, r)
	html := filepath.Join(dir, "report.html")
	if err := os.Remove(html); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "report", dir).expect(t, cli.ExitOK, []string{"report written to " + html}, nil)
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), `"id":"vus"`) {
		t.Errorf("regenerated report without the VUs chart: %v", err)
	}

	export := filepath.Join(t.TempDir(), "merged.json")
	raw, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, export, string(raw))
	run(t, nil, "report", export).expect(t, cli.ExitOK, []string{"merged.html"}, []string{"no series.ndjson beside"})
	if b, err := os.ReadFile(strings.TrimSuffix(export, ".json") + ".html"); err != nil || !strings.Contains(string(b), "has no per-second series") {
		t.Errorf("report of an export: %v", err)
	}
}
