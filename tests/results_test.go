package tests

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/metrics"
)

func TestThresholds(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "testdata/thresholds.js")
	r.expect(t, cli.ExitThresholds, []string{"✗ 'count>1000'", "✓ 'rate>0.5'"}, []string{"some thresholds failed"})

	run(t, nil, "run", "testdata/badthreshold.js").expect(t, cli.ExitScriptError, nil,
		[]string{"http_req_duration", "p95 < 300"})
}

func TestAbortOnFail(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	r := run(t, nil, "run", "testdata/aborting.js")
	r.expect(t, cli.ExitThresholds, []string{"iterations_failed"}, []string{"abortOnFail"})
	if took := time.Since(begin); took > 20*time.Second {
		t.Errorf("abortOnFail took %v to end a 1-minute test", took)
	}
}

// TestInterruptedRunKeepsResults interrupts a run with Ctrl+C: the summary is still
// printed and the NDJSON, CSV and summary export files are complete.
func TestInterruptedRunKeepsResults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ndjson, csvFile, export := filepath.Join(dir, "out.ndjson"), filepath.Join(dir, "out.csv"), filepath.Join(dir, "summary.json")
	// Ctrl+C once the NDJSON output holds a collection interval with completed
	// iterations, not after a fixed delay that a busy machine may spend
	// compiling and starting the VUs.
	sig := make(chan os.Signal, 1)
	ended := make(chan struct{})
	defer close(ended)
	go func() {
		// The deadline only stops a run that never writes an interval from
		// going on for its whole minute; the checks below then fail.
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			data, _ := os.ReadFile(ndjson)
			if slices.ContainsFunc(strings.Split(string(data), "\n"), func(line string) bool {
				return containsAll(line, []string{`"kind":"interval"`, `"metric":"iteration_duration"`})
			}) {
				break
			}
			select {
			case <-ended:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
		sig <- os.Interrupt
	}()
	r := run(t, sig, "run", "--out", "json="+ndjson, "--out", "csv="+csvFile,
		"--summary-export", export, "testdata/loop.js")
	r.expect(t, cli.ExitExternalAbort, []string{"iterations completed", "iteration_duration"}, nil)

	f, err := os.Open(ndjson)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := 0
	kinds := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines++
		var v struct{ Kind, Metric string }
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("NDJSON line %d is not JSON: %v: %s", lines, err, sc.Text())
		}
		if v.Metric == "iteration_duration" {
			kinds[v.Kind]++
		}
	}
	if kinds["interval"] == 0 || kinds["total"] != 1 {
		t.Errorf("NDJSON has %d lines, %d interval and %d total lines of iteration_duration; want the per-second lines and the totals",
			lines, kinds["interval"], kinds["total"])
	}
	data, err := os.ReadFile(csvFile)
	if err != nil || !strings.Contains(string(data), "iterations") {
		t.Errorf("CSV output %q, %v", data, err)
	}
	exp, err := metrics.ReadExportFile(export)
	if err != nil {
		t.Fatalf("summary export: %v", err)
	}
	snap, err := exp.Snapshot()
	if err != nil || snap.Metric("iterations") == nil {
		t.Errorf("summary export without iterations: %v", err)
	}
}

// TestGroupTagsReachScriptMetrics: a group's tags are on every sample its VUs
// record, custom metrics and checks included.
func TestGroupTagsReachScriptMetrics(t *testing.T) {
	t.Parallel()
	run(t, nil, "run", "testdata/grouptags.js").
		expect(t, cli.ExitOK, []string{"✓ 'count==2'", "✓ 'rate==1'"}, nil)
}
