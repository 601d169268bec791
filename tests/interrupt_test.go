package tests

import (
	"os"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/internal/testio"
)

// TestCtrlCWhileLoading interrupts a script whose top level never returns, as
// `run`, `check` and `run --watch` load it: one Ctrl+C ends the command, with the
// exit code of a run stopped by Ctrl+C.
func TestCtrlCWhileLoading(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		args  []string
		ready string // the stderr that says the script is loading
	}{
		{"run", []string{"run", "testdata/loadloop.js"}, "loading forever"},
		{"check", []string{"check", "testdata/loadloop.js"}, "loading forever"},
		{"watch", []string{"run", "--watch", "testdata/loadloop.js"}, "watching testdata/loadloop.js"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stderr := newInterrupter([]string{tt.ready})
			var out testio.Buffer
			args := append([]string{tt.args[0], "--results-dir", t.TempDir()}, tt.args[1:]...)
			if tt.name == "check" {
				args = tt.args
			}
			codes := make(chan int, 1)
			go func() { codes <- cli.Main(args, cli.IO{Stdout: &out, Stderr: stderr, Signals: stderr.sig}) }()
			select {
			case code := <-codes:
				r := result{code: code, stdout: out.String(), stderr: stderr.String()}
				r.expect(t, cli.ExitExternalAbort, nil, []string{"interrupting the script while it loads"})
			case <-time.After(time.Minute): // only against a hang
				t.Fatalf("Ctrl+C did not interrupt the loading script:\n%s", stderr.String())
			}
		})
	}
}

// TestSignalsBeforeLoad: a Ctrl+C that arrives before the script starts loading
// is not lost: the load is interrupted as soon as it starts.
func TestSignalsBeforeLoad(t *testing.T) {
	t.Parallel()
	sig := make(chan os.Signal, 1)
	sig <- os.Interrupt
	var out, errOut testio.Buffer
	code := cli.Main([]string{"run", "--results-dir", t.TempDir(), "testdata/loadloop.js"}, cli.IO{Stdout: &out, Stderr: &errOut, Signals: sig})
	if code != cli.ExitExternalAbort {
		t.Errorf("exit code %d, want %d:\n%s", code, cli.ExitExternalAbort, errOut.String())
	}
}
