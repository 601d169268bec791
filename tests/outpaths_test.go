package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestOutputPathsCheckedBeforeStart: a file the run cannot write, or one named by
// two outputs, ends jsload with exit code 2 and the reason before the script
// runs, instead of losing the results at the end of the test.
func TestOutputPathsCheckedBeforeStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing", "x.json")
	a := filepath.Join(dir, "a.ndjson")
	link := filepath.Join(dir, "link.ndjson")
	if err := os.WriteFile(a, []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.ndjson")
	if err := os.Link(a, hard); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		args   []string
		stderr []string
	}{
		{"export in a missing folder", []string{"--summary-export", missing}, []string{"--summary-export: cannot write", "does not exist"}},
		{"export to a folder", []string{"--summary-export", dir}, []string{"--summary-export:", "is a folder: name a file"}},
		{"out in a missing folder", []string{"--out", "json=" + missing}, []string{"--out json=" + missing, "does not exist"}},
		{"out kind unknown", []string{"--out", "xml=" + a}, []string{`invalid --out "xml=`}},
		{"two outs, one file", []string{"--out", "json=" + a, "--out", "csv=" + a}, []string{"--out json=" + a + " and --out csv=" + a + " write the same file"}},
		{"out and export, one file", []string{"--out", "json=" + a, "--summary-export", a}, []string{"and --summary-export write the same file"}},
		{"a file and a link to it", []string{"--out", "json=" + a, "--out", "json=" + link}, []string{"write the same file"}},
		{"a file and a hard link to it", []string{"--out", "json=" + a, "--out", "csv=" + hard}, []string{"write the same file"}},
		{"two names of one new file", []string{"--out", "json=" + filepath.Join(dir, "n.ndjson"), "--out", "csv=" + filepath.Join(dir, ".", "x", "..", "n.ndjson")},
			[]string{"write the same file"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{"run"}, tt.args...), "testdata/ran.js")
			r := run(t, nil, args...)
			r.expect(t, cli.ExitUsage, nil, tt.stderr)
			if strings.Contains(r.stderr, "iteration ran") {
				t.Errorf("the script ran before the output check:\n%s", r.stderr)
			}
		})
	}
	if data, err := os.ReadFile(a); err != nil || string(data) != "kept\n" {
		t.Errorf("the check changed an existing file: %q, %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "n.ndjson")); err == nil {
		t.Errorf("the check left the file it probed")
	}
}

// TestOutputFilesWritten: outputs that pass the check are written, an existing
// file replaced.
func TestOutputFilesWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, export := filepath.Join(dir, "a.ndjson"), filepath.Join(dir, "s.json")
	if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "run", "--out", "json="+out, "--summary-export", export, "testdata/ran.js").
		expect(t, cli.ExitOK, []string{"1 iterations completed"}, []string{"iteration ran"})
	for _, f := range []string{out, export} {
		data, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(data), "iterations") || strings.Contains(string(data), "old") {
			t.Errorf("%s: %.200q, %v", f, data, err)
		}
	}
}

// TestTestNameStaysInResultsDir: options.testName cannot put a run folder
// outside --results-dir.
func TestTestNameStaysInResultsDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := run(t, nil, "run", "--results-dir", filepath.Join(dir, "results"), "testdata/escapename.js")
	r.expect(t, cli.ExitScriptError, nil, []string{`options.testName: "../escaped" would put the test's results outside --results-dir`})
	if _, err := os.Stat(filepath.Join(dir, "escaped")); err == nil {
		t.Errorf("a results folder was made outside --results-dir")
	}
	run(t, nil, "check", "testdata/escapename.js").expect(t, cli.ExitScriptError, nil, []string{"outside --results-dir"})
}
