// Package scheduler runs a test: it resolves options into a plan of VU groups,
// initialises the VUs, drives their iterations with each group's executor, and stops
// them gracefully or at once. It does not touch goja itself: VUs are jsruntime.VUs,
// each owned by one goroutine for its whole life.
//
// An executor (executor.go) is an entry of the executor table, executorKinds (its
// name in options.groups, its settings, its build function), and one file holding
// its type: the Executor methods, and start, which returns the execution of one
// run. Every VU runs the same loop (vulife.go) over the execution's next; the
// execution's optional parts (a driver goroutine following the clock, a pool VUs
// join, a per-VU iteration context...) are fields, nil when the executor has none.
// The schedules themselves are pure functions of elapsed time (ramp.go,
// arrival.go), tested without a clock.
package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// Causes of stopping, as seen in logs and by the CLI's exit codes.
var (
	ErrInterrupted         = errors.New("interrupted by the user")
	ErrDurationReached     = errors.New("duration reached")
	ErrGracefulStopExpired = errors.New("graceful stop timed out: iteration interrupted")
)

// Config is what a test run needs besides the script's own options.
type Config struct {
	Program         *jsruntime.Program
	Overrides       Overrides
	Env             map[string]string
	ThinkTimeFactor float64
	Console         io.Writer // console.* lines
	Log             io.Writer // warnings and script errors
	Debug           bool
	// ResultsDir holds one folder per test, with one numbered folder per run
	// (default "results").
	ResultsDir string
	// Segment is the part of a distributed test this process runs (--segment);
	// zero for the whole test.
	Segment Segment
	// RunID names the run of a distributed test (--run-id): the instances of
	// one run share it. It seeds the shuffled and random data rows of the
	// tables without a seed of their own, so every segment deals them alike.
	RunID string
	// Coordinator joins the instances of a distributed test (--coordinator);
	// nil runs this process alone.
	Coordinator Coordinator
	// PreciseTimers starts arrival-rate iterations on a high-resolution timer
	// where the system has one (Linux), not on Go's, which fire up to a
	// millisecond or more late. Tests on a fake clock (testing/synctest) leave
	// it off.
	PreciseTimers bool
	// OptionLayers are options from outside the script (a k6 config file,
	// K6_* variables, flags), applied in k6's order (see OptionLayer); the
	// Overrides apply over them all.
	OptionLayers []OptionLayer
	// NoThresholds leaves options.thresholds unevaluated (--no-thresholds).
	NoThresholds bool
}

// Test is one run of a script. New loads its options and plan on the calling
// goroutine, which must also call Run (the setup/teardown runtime lives there). Stop
// and Abort may be called from any goroutine.
type Test struct {
	Options Options
	Plan    *Plan
	Errors  *ErrorLog
	// Metrics is the run's metric registry.
	Metrics *metrics.Registry
	// Thresholds are the parsed options.thresholds.
	Thresholds metrics.Thresholds
	// DataFiles are the files options.data loaded.
	DataFiles []string

	cfg    Config
	shared *jsruntime.TestState
	initVU *jsruntime.VU

	stopCtx        context.Context // done: start no more iterations
	stop           context.CancelCauseFunc
	abortCtx       context.Context // done: interrupt everything now
	abort          context.CancelCauseFunc
	abortOnce      sync.Once
	stats          stats
	firstStart     time.Time
	data           *dict.DataBindings
	dirs           *runDirs
	stdKeys        map[string]any
	warnOnce       sync.Map
	thresholdAbort error
	sysSink        *metrics.Sink            // the scheduler's own samples (vus, vus_max, dropped_iterations)
	iterSamples    *metrics.SeriesGroup     // iterations and iteration_duration, recorded together (record)
	launch         *launcher                // the goroutines of the run, during runGroups
	running        map[string]*atomic.Int64 // per group: VUs not waiting for work (set in New, then read-only)
	initProgress   io.Writer                // where a slow VU initialisation is reported, or nil
	outputs        metrics.Outputs          // see SetOutputs
	onProgress     func(Progress)           // see SetProgress
	summary        summaryHook              // see SetSummaryData
	optionsJSON    []byte                   // the script's options, for k6/execution
	started        atomic.Int64             // firstStart in Unix nanoseconds, for VUs that read it early
	completed      atomic.Int64             // iterations completed, as of the last collection
	// startHook, if set, is called as each arrival-rate iteration starts with its
	// planned and actual start, from the VUs' goroutines at once (benchmarks and
	// tests measure the jitter with it).
	startHook func(planned, actual time.Time)
}

// New prepares a test: it runs the script's top level once to read its options and
// resolves the plan. Errors here are script errors before start.
func New(cfg Config) (*Test, error) { return NewContext(context.Background(), cfg) }

// NewContext is New under ctx: cancelling it interrupts the script's top level
// (one that never returns, too), and NewContext then returns an error wrapping
// ctx's cause.
func NewContext(ctx context.Context, cfg Config) (t *Test, err error) {
	t, err = newTest(ctx, cfg)
	if err == nil && ctx.Err() != nil { // cancelled once the top level had run
		t.Close()
		t, err = nil, fmt.Errorf("%s: %w", jsruntime.DisplayPath(cfg.Program.Main.Path), context.Cause(ctx))
	}
	return t, err
}

func newTest(ctx context.Context, cfg Config) (*Test, error) {
	t := &Test{cfg: cfg, Errors: NewErrorLog(cfg.Log), Metrics: metrics.NewRegistry()}
	t.sysSink = t.Metrics.NewSink()
	b := t.Metrics.Builtins()
	t.iterSamples = metrics.NewSeriesGroup(b.Iterations, b.IterationDuration)
	t.abortCtx, t.abort = context.WithCancelCause(context.Background())
	t.stopCtx, t.stop = context.WithCancelCause(t.abortCtx)
	factor := cfg.ThinkTimeFactor
	t.shared = &jsruntime.TestState{
		Program:         cfg.Program,
		ThinkTimeFactor: factor,
		Console:         cfg.Console,
		Debug:           cfg.Debug,
		Abort:           func(msg string) { t.Abort(&jsruntime.AbortError{Msg: msg}) },
		Metrics:         t.Metrics,
		OnError:         t.Errors.Add,
		RunningVUs:      t.runningVUs,
	}
	t.installCoordinator()
	stopLoad := context.AfterFunc(ctx, func() { t.Abort(context.Cause(ctx)) })
	vu, err := jsruntime.NewVU(t.abortCtx, t.shared, &bindings.VUInfo{ID: 0, Group: "setup", Env: cfg.Env, Run: &runState{t: t}}, nil)
	stopLoad()
	if err != nil {
		return nil, err
	}
	t.initVU = vu
	raw, err := vu.OptionsJSON()
	var notes []string
	if err == nil {
		raw, notes, err = mergeOptions(raw, cfg.OptionLayers)
	}
	t.optionsJSON = raw
	if err == nil {
		t.Options, err = ParseOptions(raw)
		t.Options.K6 = cfg.Program != nil && cfg.Program.ImportsK6()
	}
	if err == nil {
		t.applyOptions()
		t.Plan, err = BuildPlanPart(t.Options, cfg.Overrides, cfg.Segment)
	}
	if err == nil {
		t.Plan.Notes = append(notes, t.Plan.Notes...)
	}
	if err == nil {
		err = t.checkExports()
	}
	if err == nil {
		t.running = make(map[string]*atomic.Int64, len(t.Plan.Groups))
		for _, g := range t.Plan.Groups {
			t.running[g.Name] = new(atomic.Int64)
		}
	}
	if err == nil {
		err = t.parseThresholds()
	}
	if err == nil {
		err = t.loadData()
	}
	if err != nil {
		vu.Close()
		return nil, fmt.Errorf("%s: %w", jsruntime.DisplayPath(cfg.Program.Main.Path), err)
	}
	return t, nil
}

// applyOptions hands the test-wide options to the VUs that are made from now on
// (the setup VU, made to read them, keeps the defaults) and logs the warnings
// of the options jsload does not apply.
func (t *Test) applyOptions() {
	t.shared.TestOptions.MaxResponseBodySize = t.Options.MaxResponseBodySize
	t.shared.TestOptions.HTTP = t.Options.HTTP
	if t.Options.HTTP.Debug != "" && t.cfg.Log != nil {
		var mu sync.Mutex
		t.shared.TestOptions.HTTP.DebugLog = func(text string) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(t.cfg.Log, "%s\n\n", text)
		}
	}
	if len(t.Options.Tags) > 0 {
		t.shared.Tags = t.shared.Tags.Merge(metrics.TagsFromMap(t.Options.Tags))
	}
	for _, w := range t.Options.Warnings {
		t.warn(w)
	}
}

// checkExports checks that each group's exec, and its vuInit and vuEnd when they
// are not the default names, are functions the script exports.
func (t *Test) checkExports() error {
	exports := t.initVU.Exports()
	isFunc := func(name string) bool { return slices.Contains(exports, name) && t.initVU.Func(name) != nil }
	for _, g := range t.Plan.Groups {
		where := fmt.Sprintf("group %q: ", g.Name)
		if len(t.Plan.Groups) == 1 && g.Name == "default" {
			where = ""
		}
		if g.Exec == jsruntime.FuncDefault && !isFunc(g.Exec) {
			if slices.Contains(exports, g.Exec) {
				return fmt.Errorf("the default export must be a function (the VU's iteration), e.g. export default function () { ... }")
			}
			return fmt.Errorf("%sthe script has no default export: add export default function () { ... } with one iteration of the VU, or name another export with exec", where)
		}
		for _, fn := range []struct{ key, name, def string }{
			{"exec", g.Exec, jsruntime.FuncDefault}, {"vuInit", g.VUInit, jsruntime.FuncVUInit}, {"vuEnd", g.VUEnd, jsruntime.FuncVUEnd},
		} {
			if fn.name != fn.def && !isFunc(fn.name) {
				return fmt.Errorf("%s%s %q is not a function the script exports: export function %s() { ... } or fix the name (exported functions: %s)",
					where, fn.key, fn.name, fn.name, strings.Join(t.exportedFuncs(exports), ", "))
			}
		}
	}
	return nil
}

func (t *Test) exportedFuncs(exports []string) []string {
	var fns []string
	for _, e := range exports {
		if t.initVU.Func(e) != nil {
			fns = append(fns, e)
		}
	}
	if len(fns) == 0 {
		return []string{"none"}
	}
	return fns
}

func (t *Test) parseThresholds() error {
	if !present(t.Options.Thresholds) || t.cfg.NoThresholds {
		return nil
	}
	var decl map[string]any
	if err := json.Unmarshal(t.Options.Thresholds, &decl); err != nil {
		return fmt.Errorf("%w: write an object of metric names, e.g. { http_req_duration: ['p(95)<300'] }", metrics.ErrInvalidThresholds)
	}
	th, err := metrics.ParseThresholds(decl)
	if err == nil {
		err = th.Validate(t.Metrics)
	}
	t.Thresholds = th
	return err
}

// warn logs msg once per distinct message.
func (t *Test) warn(msg string) {
	if _, seen := t.warnOnce.LoadOrStore(msg, true); !seen && t.cfg.Log != nil {
		fmt.Fprintf(t.cfg.Log, "WARN %s\n", msg)
	}
}

// runningVUs is the number of VUs running now (not waiting for work) in the test,
// or in group when it is not "" (jsruntime.TestState.RunningVUs). The test's count
// is summed here, where it is read (once a second, and by percent rendezvous),
// rather than kept in one more counter every VU updates.
func (t *Test) runningVUs(group string) int64 {
	if group != "" {
		if n := t.running[group]; n != nil {
			return n.Load()
		}
		return -1 // no such group
	}
	var sum int64
	for _, n := range t.running {
		sum += n.Load()
	}
	return sum
}

// RunID is the run id of the configuration (Config.RunID).
func (t *Test) RunID() string { return t.cfg.RunID }

// SetInitProgress sets where the initialisation of the VUs reports its progress
// when it takes more than a second (before Run; nil for nowhere).
func (t *Test) SetInitProgress(w io.Writer) { t.initProgress = w }

// Close releases the setup runtime when Run is not called (e.g. `jsload check`).
func (t *Test) Close() { t.initVU.Close() }

// Stop asks the test to stop gracefully: no new iterations start, running ones get
// their group's gracefulStop to finish. Safe from any goroutine; idempotent.
func (t *Test) Stop(cause error) { t.stop(cause) }

// Abort interrupts everything at once. The first cause wins.
func (t *Test) Abort(cause error) {
	t.abortOnce.Do(func() {
		t.abort(cause)
		t.broadcastAbort(cause)
	})
	t.interruptSummary(cause)
}

// Aborted returns the cause of an Abort, or nil.
func (t *Test) Aborted() error {
	if t.abortCtx.Err() == nil {
		return nil
	}
	return context.Cause(t.abortCtx)
}

// Run runs setup, every group, and teardown, and returns what happened. It must be
// called on the goroutine that called New. Cancelling ctx aborts the run, as Abort
// with ctx's cause would (Stop is the graceful way). The outputs are closed and the
// run's temporary folder removed whatever ends the run; the metrics collected so
// far are in the Result even when the run is aborted.
func (t *Test) Run(ctx context.Context) (*Result, error) {
	defer t.initVU.Close()
	defer t.abort(nil) // releases context resources; a no-op cause once aborted
	defer t.abortOnDone(ctx)()
	defer t.outputs.Close()
	if c := t.cfg.Coordinator; c != nil {
		defer c.Watch(t.remoteAbort)()
	}
	var err error
	root := t.cfg.ResultsDir
	if root == "" {
		root = "results"
	}
	if t.dirs, err = newRunDirs(root, t.TestName()); err != nil {
		return nil, err
	}
	defer t.dirs.remove()
	t.stdKeys = t.standardKeys()
	t.initVU.Dict.SetMany(t.stdKeys)
	begin := time.Now()
	t.Metrics.SetStart(begin)
	stopCollector := t.startCollector(begin)
	defer stopCollector()
	data, err := t.callPhase(jsruntime.FuncSetup, nil)
	if err != nil {
		if t.Aborted() != nil {
			r := t.result(begin, stopCollector)
			t.handleSummary(r)
			return r, nil
		}
		return nil, fmt.Errorf("setup() failed: %w", err)
	}
	t.shared.SetupData = data
	if err := t.runGroups(); err != nil {
		return nil, err
	}
	if _, err := t.callPhase(jsruntime.FuncTeardown, data); err != nil && t.Aborted() == nil {
		t.Errors.Add("teardown()", err)
	}
	r := t.result(begin, stopCollector)
	t.handleSummary(r)
	return r, nil
}

// abortOnDone aborts the test with ctx's cause when ctx is done. The returned
// function stops that and, if the abort has begun, waits for it.
func (t *Test) abortOnDone(ctx context.Context) (release func()) {
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(fired)
		t.Abort(context.Cause(ctx))
	})
	return func() {
		if !stop() {
			<-fired
		}
	}
}

// SetOutputs sets where the collected metrics go (before Run): each second's
// metrics and the totals. Run closes them at the end of the run, whatever ends it.
func (t *Test) SetOutputs(outs metrics.Outputs) { t.outputs = outs }

// SetProgress sets the progress callback (before Run): it is called about once a
// second from the collector goroutine with the run's progress.
func (t *Test) SetProgress(fn func(Progress)) { t.onProgress = fn }

func (t *Test) result(begin time.Time, stopCollector func()) *Result {
	stopCollector()
	b := t.Metrics.Builtins()
	t.sysSink.Add(b.VUsMax, metrics.Tags{}, float64(t.stats.initialised.Load()))
	t.initVU.Sink().Close()
	final := t.Metrics.Collect()
	_ = t.outputs.AddInterval(final)
	totals := t.Metrics.Totals()
	_ = t.outputs.AddTotals(totals)
	r := &Result{
		Interrupted:    t.stats.interrupted.Load(),
		Duration:       time.Since(begin),
		Aborted:        t.Aborted(),
		Totals:         totals,
		Thresholds:     t.Thresholds.Evaluate(totals),
		ThresholdAbort: t.thresholdAbort,
		RunPath:        t.dirs.path,
		RunNumber:      t.dirs.number,
	}
	if t.stopCtx.Err() != nil && errors.Is(context.Cause(t.stopCtx), ErrInterrupted) {
		r.UserInterrupted = true
	}
	if r.ThresholdAbort == nil {
		r.ThresholdAbort = remoteThresholdAbort(r.Aborted)
	}
	return r
}
