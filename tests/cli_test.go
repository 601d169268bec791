// Package tests holds jsload's end-to-end tests: they run the real CLI code
// in-process on scripts under testdata/ and examples/js/, and assert its output and
// exit codes.
package tests

import (
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/internal/testio"
)

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" { // re-executed by runProcess: be jsload
		sig := make(chan os.Signal, 2)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		os.Exit(cli.Main(os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig}))
	}
	goleak.VerifyTestMain(m)
}

// result is one CLI run.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the jsload command line with args; signals, if not nil, feeds Ctrl+C. A
// `run` command writes its results under a temporary folder (a --results-dir in args
// comes later and wins).
func run(t *testing.T, signals chan os.Signal, args ...string) result {
	t.Helper()
	if len(args) > 0 && args[0] == "run" {
		args = append([]string{"run", "--results-dir", t.TempDir()}, args[1:]...)
	}
	var out, errOut testio.Buffer
	code := cli.Main(args, cli.IO{Stdout: &out, Stderr: &errOut, Signals: signals})
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

func (r result) expect(t *testing.T, code int, stdout, stderr []string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stdout {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	for _, s := range stderr {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"syntax error", []string{"run", "testdata/syntax.js"}, cli.ExitScriptError,
			[]string{"testdata/syntax.js:2:20: Unexpected \";\"", "const total = 1 +;", "^"}},
		{"missing script", []string{"run", "testdata/nope.js"}, cli.ExitScriptError, []string{"testdata/nope.js does not exist"}},
		{"default not a function", []string{"run", "testdata/notfunc.js"}, cli.ExitScriptError, []string{"the default export must be a function"}},
		{"negative vus", []string{"run", "-u", "-3", "testdata/env.js"}, cli.ExitUsage, []string{"invalid --vus -3"}},
		{"malformed duration", []string{"run", "-d", "10x", "testdata/env.js"}, cli.ExitUsage, []string{`invalid duration "10x"`}},
		{"negative think time", []string{"run", "--think-time-factor", "-1", "testdata/env.js"}, cli.ExitUsage, []string{"invalid --think-time-factor -1"}},
		{"env without key", []string{"run", "-e", "=1", "testdata/env.js"}, cli.ExitUsage, []string{`invalid --env "=1"`}},
		{"think time NaN", []string{"run", "--think-time-factor", "NaN", "testdata/env.js"}, cli.ExitUsage, []string{"invalid --think-time-factor NaN"}},
		{"think time Inf", []string{"run", "--think-time-factor", "Inf", "testdata/env.js"}, cli.ExitUsage, []string{"invalid --think-time-factor +Inf"}},
		{"check think time NaN", []string{"check", "--think-time-factor", "nan", "testdata/env.js"}, cli.ExitUsage, []string{"invalid --think-time-factor NaN"}},
		{"env without equals", []string{"run", "-e", "JSLOAD_TEST_NEVER_SET", "testdata/env.js"}, cli.ExitUsage,
			[]string{`invalid --env "JSLOAD_TEST_NEVER_SET": write KEY=VALUE`, "JSLOAD_TEST_NEVER_SET is not set"}},
		{"unknown option", []string{"run", "testdata/badoption.js"}, cli.ExitScriptError, []string{"options.duraton: unknown option"}},
		{"vus Infinity", []string{"run", "-e", "CASE=infinity", "testdata/badvalues.js"}, cli.ExitScriptError,
			[]string{"testdata/badvalues.js: options.vus is Infinity: give a finite number\n"}},
		{"vus NaN", []string{"run", "-e", "CASE=nan", "testdata/badvalues.js"}, cli.ExitScriptError,
			[]string{"testdata/badvalues.js: options.vus is NaN: give a finite number (NaN comes from a sum or a parseInt of something that is no number, such as an __ENV variable that is not set)"}},
		{"NaN in a group", []string{"run", "-e", "CASE=nested", "testdata/badvalues.js"}, cli.ExitScriptError, []string{"options.groups.g.duration is NaN"}},
		{"stages that are no stages", []string{"run", "-e", "CASE=stages", "testdata/badvalues.js"}, cli.ExitScriptError,
			[]string{"options.stages[0]: must be a stage such as { duration: '30s', target: 10 }, got 1"}},
		{"a function in options", []string{"run", "-e", "CASE=fn", "testdata/badvalues.js"}, cli.ExitScriptError,
			[]string{"options.setupTimeout is a function: options hold data"}},
		{"options as a function", []string{"run", "testdata/optionsfn.js"}, cli.ExitScriptError,
			[]string{"options is exported as a function: jsload reads options, it does not call them; export an object, e.g. export const options = { vus: 10, duration: '30s' }"}},
		{"check syntax error", []string{"check", "testdata/syntax.js"}, cli.ExitScriptError, []string{"testdata/syntax.js:2:20"}},
		{"two scripts", []string{"run", "a.js", "b.js"}, cli.ExitUsage, []string{"give exactly one script"}},
		{"no script", []string{"check"}, cli.ExitUsage, []string{"give exactly one script"}},
		{"watch with out", []string{"run", "--watch", "-o", "json=out.ndjson", "testdata/env.js"}, cli.ExitUsage,
			[]string{"--out and --summary-export do not apply to --watch"}},
		{"watch with summary export", []string{"run", "--watch", "--summary-export", "summary.json", "testdata/env.js"}, cli.ExitUsage,
			[]string{"--out and --summary-export do not apply to --watch"}},
		{"check with a run flag", []string{"check", "--demo", "testdata/throws.js"}, cli.ExitUsage, []string{"unknown flag --demo"}},
		{"check with watch", []string{"check", "--watch", "testdata/throws.js"}, cli.ExitUsage, []string{"unknown flag --watch"}},
		{"demo on a public address", []string{"demo", "--addr", "0.0.0.0:80"}, cli.ExitUsage, []string{"loopback address only"}},
		{"demo on a malformed address", []string{"demo", "--addr", "8080"}, cli.ExitUsage, []string{`invalid address "8080"`}},
		{"unknown command", []string{"walk"}, cli.ExitUsage, []string{`unknown command "walk"`}},
		{"misspelt command", []string{"rnu", "x.js"}, cli.ExitUsage, []string{`unknown command "rnu"; did you mean run?`}},
		{"unknown flag", []string{"run", "--vuss", "2", "x.js"}, cli.ExitUsage, []string{"unknown flag --vuss; did you mean --vus?"}},
		{"unknown short flag", []string{"run", "-x", "x.js"}, cli.ExitUsage, []string{"unknown flag -x"}},
		{"bad number", []string{"run", "--vus", "ten", "x.js"}, cli.ExitUsage, []string{`invalid --vus "ten": want a whole number, e.g. --vus 10`}},
		{"bad float", []string{"run", "--think-time-factor", "half", "x.js"}, cli.ExitUsage, []string{`invalid --think-time-factor "half": want a number`}},
		{"missing value", []string{"run", "x.js", "--iterations"}, cli.ExitUsage, []string{"flag --iterations needs a value"}},
		{"report of nothing", []string{"report", "testdata/nope"}, cli.ExitUsage, []string{"give a run folder"}},
		{"report of a folder that is no run", []string{"report", "testdata"}, cli.ExitUsage, []string{"has no summary.json"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, nil, tt.args...)
			r.expect(t, tt.code, nil, tt.stderr)
			if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "strconv") {
				t.Errorf("a Go panic reached the user:\n%s", r.stderr)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	t.Parallel()
	run(t, nil, "version").expect(t, cli.ExitOK, []string{"jsload " + cli.Version}, nil)
	help := run(t, nil, "run", "--help")
	help.expect(t, cli.ExitOK, []string{"Usage: jsload run", "--vus", "--iterations", "--duration", "--env", "--quiet", "--summary-tag"}, nil)
	if help.stderr != "" {
		t.Errorf("jsload run --help wrote to stderr: %q", help.stderr)
	}
	run(t, nil, "help").expect(t, cli.ExitOK, []string{"jsload report"}, nil)
	run(t, nil, "check", "testdata/throws.js").expect(t, cli.ExitOK,
		[]string{"testdata/throws.js: ok", "shared-iterations, 10 iterations shared by 2 VUs"}, nil)
	run(t, nil, "check", "-u", "3", "-i", "6", "-e", "X=1", "--think-time-factor", "0", "testdata/throws.js").expect(t, cli.ExitOK,
		[]string{"shared-iterations, 6 iterations shared by 3 VUs"}, nil)
}

func TestExceptionFailsIterationOnly(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "-q", "testdata/throws.js")
	r.expect(t, cli.ExitOK, []string{"5 iterations completed, 5 failed", "█ ERRORS: 5 errors, 1 distinct message",
		"testdata/throws.js:4:44 (5×)\n           5× Error: odd one out\n"},
		[]string{"Error: odd one out at testdata/throws.js:4:44"})
	if n := strings.Count(r.stderr, "odd one out"); n != 1 {
		t.Errorf("the error was logged %d times, want once:\n%s", n, r.stderr)
	}
}

func TestEnvFlag(t *testing.T) {
	t.Parallel()
	// A bare KEY passes jsload's own variable (PATH is set wherever tests run).
	run(t, nil, "run", "-e", "TARGET=http://127.0.0.1:1", "-e", "EMPTY=", "-e", "PATH", "testdata/env.js").
		expect(t, cli.ExitOK, []string{"1 iterations completed, 0 failed"}, []string{"[vu 1] target http://127.0.0.1:1"})
}

func TestAbortTest(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "testdata/abort.js")
	r.expect(t, cli.ExitAborted, []string{"iterations completed"}, []string{"test aborted: the target is down"})
}

// TestCtrlC sends one Ctrl+C: running iterations finish, vuEnd runs, the summary is
// printed, and the exit code says the run was cut short.
func TestCtrlC(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	r := runInterrupted(t, newInterrupter([]string{"iteration 1", "iteration 2"}), "testdata/loop.js")
	r.expect(t, cli.ExitExternalAbort, []string{"iterations completed", "0 interrupted"}, []string{"stopping", "vuEnd 1", "vuEnd 2"})
	if took := time.Since(begin); took > 30*time.Second {
		t.Errorf("Ctrl+C took %v to stop the run", took)
	}
}

// TestSecondCtrlC interrupts a tight loop that a graceful stop would wait a minute
// for.
func TestSecondCtrlC(t *testing.T) {
	t.Parallel()
	// The first Ctrl+C once the iteration spins, the second once the first was taken.
	begin := time.Now()
	r := runInterrupted(t, newInterrupter([]string{"spinning"}, []string{"press Ctrl+C again"}), "testdata/spin.js")
	r.expect(t, cli.ExitExternalAbort, []string{"0 iterations completed, 0 failed, 1 interrupted"}, []string{"stopping now"})
	if took := time.Since(begin); took > 30*time.Second {
		t.Errorf("a second Ctrl+C took %v to stop the run", took)
	}
}

// interrupter is a stderr that sends Ctrl+C when the run shows it is ready
// for it: once for each stage, when every string of the stage has been written.
type interrupter struct {
	testio.Buffer
	sig    chan os.Signal
	mu     sync.Mutex // guards stages; writes come from several goroutines
	stages [][]string
}

func newInterrupter(stages ...[]string) *interrupter {
	return &interrupter{sig: make(chan os.Signal, len(stages)), stages: stages}
}

func (w *interrupter) Write(p []byte) (int, error) {
	n, err := w.Buffer.Write(p)
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.stages) > 0 && containsAll(w.String(), w.stages[0]) {
		w.stages = w.stages[1:]
		w.sig <- os.Interrupt
	}
	return n, err
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// runInterrupted is run with Ctrl+C sent by stderr (see interrupter).
func runInterrupted(t *testing.T, stderr *interrupter, args ...string) result {
	t.Helper()
	var out testio.Buffer
	args = append([]string{"run", "--results-dir", t.TempDir()}, args...)
	code := cli.Main(args, cli.IO{Stdout: &out, Stderr: stderr, Signals: stderr.sig})
	return result{code: code, stdout: out.String(), stderr: stderr.String()}
}

// failedMark finds a summary line marked failed (a check or a threshold).
var failedMark = regexp.MustCompile(`(?m)^\s*✗ `)

// TestExamples runs every script a user would copy from examples/js, as the README
// says: with --demo, so those that need an HTTP target have the demo API.
func TestExamples(t *testing.T) {
	t.Parallel()
	scripts, err := filepath.Glob("../examples/js/*.[jt]s")
	k6Scripts, err2 := filepath.Glob("../examples/k6/*.[jt]s") // k6 scripts jsload runs as they are
	if err != nil || err2 != nil || len(scripts) == 0 || len(k6Scripts) == 0 {
		t.Fatalf("no examples found: %v %v", err, err2)
	}
	scripts = append(scripts, k6Scripts...)
	for _, script := range scripts {
		t.Run(filepath.Base(script), func(t *testing.T) {
			t.Parallel()
			r := run(t, nil, "run", "--demo", script)
			r.expect(t, cli.ExitOK, []string{"iterations completed", " 0 failed"}, nil)
			if strings.Contains(r.stderr, "ERROR") || failedMark.MatchString(r.stdout) {
				t.Errorf("example %s reported errors or failed checks:\n%s\n%s", script, r.stdout, r.stderr)
			}
		})
	}
}

// TestK6Execution: a k6 script sees its scenario, VU and run through
// k6/execution as k6 fills them, and with --include-system-env-vars __ENV holds
// the process's environment under the -e values.
func TestK6Execution(t *testing.T) {
	t.Setenv("JSLOAD_K6_TEST", "from the environment")
	t.Setenv("FLAG", "environment")
	r := run(t, nil, "run", "-q", "--include-system-env-vars", "-e", "FLAG=cli", "testdata/k6exec.js")
	r.expect(t, cli.ExitOK, []string{"6 iterations completed, 0 failed"}, nil)
}

// TestPhaseTimeouts runs a setup() and a teardown() that never return: each is
// interrupted after its timeout, the run is aborted with a message saying so, and
// the summary is still written.
func TestPhaseTimeouts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ spin, stdout, stderr string }{
		{"setup", "0 iterations completed", "setup() did not finish within its setupTimeout of 200ms: it was interrupted; make it faster or raise options.setupTimeout"},
		{"teardown", "1 iterations completed", "teardown() did not finish within its teardownTimeout of 200ms: it was interrupted; make it faster or raise options.teardownTimeout"},
	} {
		t.Run(tt.spin, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			r := run(t, nil, "run", "-q", "--results-dir", dir, "-e", "SPIN="+tt.spin, "testdata/phasetimeout.js")
			r.expect(t, cli.ExitAborted, []string{tt.stdout}, []string{"jsload: " + tt.stderr})
			if runs, _ := filepath.Glob(filepath.Join(dir, "phasetimeout", "*", "summary.json")); len(runs) != 1 {
				t.Errorf("run folder summary: %v, want one", runs)
			}
		})
	}
}

// TestVUInitFailureCounted: the shared iteration a VU took before its vuInit
// threw is counted as failed, and the error is reported.
func TestVUInitFailureCounted(t *testing.T) {
	t.Parallel()
	run(t, nil, "run", "-q", "testdata/initfails.js").expect(t, cli.ExitOK,
		[]string{"5 iterations completed, 1 failed"},
		[]string{"ERROR VU 2, vuInit() (the VU runs no iterations): Error: login failed at testdata/initfails.js:8:11"})
}

// TestFailingIterationsBackOff runs iterations that fail at once for a second:
// the VU backs off (and says so once), so they are a few dozen, not thousands.
func TestFailingIterationsBackOff(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "-q", "testdata/failfast.js")
	r.expect(t, cli.ExitAllFailed, nil, []string{"WARN iterations fail in under a millisecond again and again", "ReferenceError: htpp is not defined"})
	m := regexp.MustCompile(`(\d+) iterations completed, (\d+) failed`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no iteration counts in:\n%s", r.stdout)
	}
	if n, _ := strconv.Atoi(m[2]); n == 0 || n > 200 {
		t.Errorf("%d iterations failed in 1s, want a few dozen (backed off)", n)
	}
	if n := strings.Count(r.stderr, "WARN iterations fail"); n != 1 {
		t.Errorf("the back-off was announced %d times, want once", n)
	}
}

// TestScriptFaultsFailIterations: a runaway recursion and a cyclic value fail
// their iteration with a message that says what and where, and the run goes on.
func TestScriptFaultsFailIterations(t *testing.T) {
	t.Parallel()
	run(t, nil, "run", "-q", "testdata/recursion.js").expect(t, cli.ExitOK, []string{"2 iterations completed, 2 failed"},
		[]string{"RangeError: Maximum call stack size exceeded at testdata/recursion.js:4:"})
	run(t, nil, "run", "-q", "testdata/cyclic.js").expect(t, cli.ExitOK, []string{"1 iterations completed, 1 failed"},
		[]string{"value for 'tree' is cyclic (tree.children[0].parent refers back to tree): store an id instead of the object, or a copy without the back reference at testdata/cyclic.js:7:"})
}
