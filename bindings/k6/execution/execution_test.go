package execution_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeRun is a run as a scheduler would describe it.
type fakeRun struct{}

func (fakeRun) Executor() string       { return "constant-vus" }
func (fakeRun) GroupStart() time.Time  { return time.UnixMilli(1700000000000) }
func (fakeRun) Progress(int64) float64 { return 0.25 }
func (fakeRun) TestStart() time.Time   { return time.Now().Add(-time.Second) }
func (fakeRun) Options() []byte        { return []byte(`{"vus":3}`) }
func (fakeRun) Counts() bindings.RunCounts {
	return bindings.RunCounts{IterationsCompleted: 12, IterationsInterrupted: 2, VUsInitialized: 3}
}

func TestScripts(t *testing.T) {
	t.Parallel()
	jstest.RunExports(t, "testdata/execution.js", "test", jstest.ID(7), jstest.RunState(fakeRun{}))
}

// TestTagsReachSamples: a tag set on vu.tags is on the samples made after.
func TestTagsReachSamples(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/execution.js", jstest.ID(7), jstest.RunState(fakeRun{}))
	vu := tt.NewVU(t)
	if err := vu.Run(context.Background(), "testTags"); err != nil {
		t.Fatal(err)
	}
	reg := tt.State.Metrics
	reg.Collect()
	a := reg.Totals().Sum(reg.Builtins().Checks, metrics.NewTags("check", "tagged check", "flow", "checkout", "step", "2"))
	if a.Count != 1 {
		t.Errorf("%d checks tagged flow=checkout, step=2, want 1", a.Count)
	}
}

func TestAbort(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/execution.js")
	var got string
	tt.State.Abort = func(msg string) { got = msg }
	err := tt.NewVU(t).Run(context.Background(), "abort")
	var ae *jsruntime.AbortError
	if !errors.As(err, &ae) || !strings.Contains(got, "test aborted: stock is gone") {
		t.Errorf("got %v and %q, want the abort with its message", err, got)
	}
}

// TestNoScenarioInSetup: setup's VU (id 0) has no scenario, as in k6.
func TestNoScenarioInSetup(t *testing.T) {
	t.Parallel()
	err := jstest.NewVU(t, "testdata/execution.js", jstest.ID(0), jstest.RunState(fakeRun{})).Run(context.Background(), "testScenario")
	if err == nil || !strings.Contains(err.Error(), "scenario is available to VUs only") {
		t.Errorf("got %v, want the error of scenario outside a VU", err)
	}
}
