package tests

import (
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestEveryIterationFailed: a run that completed no iteration, only failed
// ones, does not pass for a green run.
func TestEveryIterationFailed(t *testing.T) {
	t.Parallel()
	run(t, nil, "run", "testdata/allfail.js").expect(t, cli.ExitAllFailed,
		[]string{"0 iterations completed, 4 failed"}, []string{"jsload: every iteration failed (all 4)", "--no-fail-on-error"})
	run(t, nil, "run", "--no-fail-on-error", "testdata/allfail.js").expect(t, cli.ExitOK,
		[]string{"0 iterations completed, 4 failed"}, nil)
	// Some failed, some completed: the run measured something.
	run(t, nil, "run", "-q", "testdata/throws.js").expect(t, cli.ExitOK, []string{"5 iterations completed, 5 failed"}, nil)
}
