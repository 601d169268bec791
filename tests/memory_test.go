package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/metrics"
)

// cliEnv, set to 1, makes this test binary run the jsload command line on its
// arguments instead of the tests (see TestMain).
const cliEnv = "JSLOAD_TESTS_RUN_CLI"

// runProcess runs the jsload command line in a process of its own, this test
// binary run again, so that the memory it measures is its own run's. A process
// killed (by the kernel, or after the generous deadline) fails the test.
func runProcess(t *testing.T, args ...string) result {
	t.Helper()
	if len(args) > 0 && args[0] == "run" {
		args = append([]string{"run", "--results-dir", t.TempDir()}, args[1:]...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run jsload: %v", err)
	}
	r := result{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String()}
	if r.code < 0 {
		t.Fatalf("jsload was killed (%v)\nstdout:\n%s\nstderr:\n%s", cmd.ProcessState, r.stdout, r.stderr)
	}
	return r
}

// TestMemoryGuard runs scripts that hold memory without bound, in goja
// values and in response bodies, under --max-memory 256MiB: jsload ends the
// test itself before the limit, says which limit, and its summary, NDJSON
// output and summary export are complete.
func TestMemoryGuard(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		script, metric string
		extra          []string
	}{
		{"testdata/hoard.js", "grown", nil},
		{"testdata/hoardbodies.js", "http_reqs", []string{"--demo"}},
	} {
		t.Run(filepath.Base(tt.script), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ndjson, export := filepath.Join(dir, "out.ndjson"), filepath.Join(dir, "summary.json")
			args := append([]string{"run", "-q", "--max-memory", "256MiB", "--out", "json=" + ndjson, "--summary-export", export}, tt.extra...)
			r := runProcess(t, append(args, tt.script)...)
			r.expect(t, cli.ExitMemoryLimit, []string{"iterations completed", tt.metric + "."},
				[]string{"jsload: memory limit reached", "of its limit of 256 MiB (--max-memory 256MiB): test aborted"})
			checkNDJSONComplete(t, ndjson, tt.metric)
			exp, err := metrics.ReadExportFile(export)
			if err != nil {
				t.Fatalf("summary export: %v", err)
			}
			if snap, err := exp.Snapshot(); err != nil || snap.Metric(tt.metric) == nil {
				t.Errorf("the summary export has no %s: %v", tt.metric, err)
			}
		})
	}
}

// checkNDJSONComplete checks that every line of the NDJSON file is JSON and that
// it ends with the totals, metric's among them.
func checkNDJSONComplete(t *testing.T, path, metric string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Fatalf("%s does not end with a whole line", path)
	}
	totals := false
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var row struct{ Kind, Metric string }
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("line %d is not JSON: %v: %q", i+1, err, line)
		}
		totals = totals || (row.Kind == "total" && row.Metric == metric)
	}
	if !totals {
		t.Errorf("%s has no total line of %s", path, metric)
	}
}
