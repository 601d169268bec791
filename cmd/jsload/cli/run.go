package cli

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/spf13/pflag"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/memguard"
	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/metrics/remote"
	"github.com/jsload/jsload/scheduler"
)

// runFlags are the flags of `jsload run` (and, for the shared ones, `jsload check`).
type runFlags struct {
	vus, iterations int64
	duration        string
	env             []string
	quiet, debug    bool
	thinkTime       float64
	outs            []string
	summaryExport   string
	summaryTags     []string
	resultsDir      string
	watch           bool
	demo            bool
	segment         string // --segment, or JSLOAD_SEGMENT
	runID           string // --run-id, or JSLOAD_RUN_ID
	dist            distFlags
	config          string // a k6 config file (--config)
	noThresholds    bool
	noSummary       bool
	noRemote        bool
	systemEnv       bool              // --include-system-env-vars
	systemEnvSet    bool              // --include-system-env-vars (or its K6_ variable) was given
	environ         map[string]string // the environment K6_* variables are read from
	maxMemory       string
	noFailOnError   bool

	// Resolved from the flags by parseSetup.
	memLimit memguard.Limit
	memOff   bool
}

// registerPlan registers the flags that shape the test plan, the ones `jsload check`
// takes.
func (f *runFlags) registerPlan(fs *pflag.FlagSet) {
	fs.Int64VarP(&f.vus, "vus", "u", 0, "number of VUs (overrides options.vus)")
	fs.Int64VarP(&f.iterations, "iterations", "i", 0, "total iterations shared by the VUs (overrides options.iterations)")
	fs.StringVarP(&f.duration, "duration", "d", "", "test duration, e.g. 30s, 1m30s (overrides options.duration)")
	fs.StringArrayVarP(&f.env, "env", "e", nil, "KEY=VALUE made available to scripts as __ENV.KEY (repeatable)")
	fs.Float64Var(&f.thinkTime, "think-time-factor", 1, "scale sleep() and pause() (0 disables think time)")
	fs.StringVar(&f.segment, "segment", "", "run part I (0 to N-1) of N of the test, e.g. 0/3; auto/N reads I from "+scheduler.SegmentIndexEnv+" (default $JSLOAD_SEGMENT)")
	fs.StringVar(&f.runID, "run-id", "", "name of this run, the same for every segment: it seeds shuffled data and names the run on the coordinator (default $JSLOAD_RUN_ID)")
	fs.StringVarP(&f.config, "config", "c", "", "read options from a k6 config FILE (JSON), under the script's own")
	fs.BoolVar(&f.systemEnv, "include-system-env-vars", false, "add jsload's environment variables to __ENV (under the -e pairs)")
	fs.BoolVar(&f.noThresholds, "no-thresholds", false, "do not evaluate options.thresholds")
	fs.BoolVar(&f.noRemote, "no-remote", false, "import modules by URL from the module cache only, without fetching them")
	registerOptionFlags(fs)
}

// remote is how the script's imports by URL are fetched: into the module
// cache (JSLOAD_CACHE_DIR, or jsload/modules in the user's cache folder), or
// from it only with --no-remote.
func (f *runFlags) remote() *jsruntime.Remote {
	return &jsruntime.Remote{CacheDir: f.environ["JSLOAD_CACHE_DIR"], Offline: f.noRemote}
}

// register registers every flag of `jsload run`.
func (f *runFlags) register(fs *pflag.FlagSet) {
	f.registerPlan(fs)
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print only the end-of-test summary")
	fs.BoolVar(&f.debug, "debug", false, "show console.debug output")
	fs.StringArrayVarP(&f.outs, "out", "o", nil, "write metrics as they are collected: json=FILE (NDJSON), csv=FILE, prometheus=URL (remote write) or influxdb=URL (v1 line protocol) (repeatable)")
	fs.StringVar(&f.summaryExport, "summary-export", "", "write the end-of-test metrics, with mergeable histograms, as JSON to FILE")
	fs.BoolVar(&f.noSummary, "no-summary", false, "do not print the end-of-test summary (the run folder still has it)")
	fs.StringArrayVar(&f.summaryTags, "summary-tag", nil, "add a summary section breaking the main metrics down by the values of tag KEY, e.g. name (repeatable)")
	fs.BoolVar(&f.demo, "demo", false, "start the built-in demo API on a free loopback port and pass its URL as __ENV.BASE_URL")
	fs.BoolVarP(&f.watch, "watch", "w", false, "reload the script, its modules and data files when they change (development loop)")
	fs.StringVar(&f.resultsDir, "results-dir", "results", "folder of the runs' results (one numbered folder per run of a test)")
	f.dist.register(fs)
	fs.StringVar(&f.maxMemory, "max-memory", "", "end the test cleanly, results kept, when jsload nears this much memory: e.g. 2GiB, 80% (of the detected limit), off (default: the cgroup's limit, else the machine's memory)")
	fs.BoolVar(&f.noFailOnError, "no-fail-on-error", false, "exit 0, not 110, when every iteration failed")
}

// overrides turns the flags the user set into scheduler overrides.
func (f *runFlags) overrides(fs *pflag.FlagSet) (scheduler.Overrides, error) {
	var ov scheduler.Overrides
	if fs.Changed("vus") {
		if f.vus < 0 {
			return ov, fmt.Errorf("invalid --vus %d: the number of VUs must be 0 or more", f.vus)
		}
		ov.VUs = &f.vus
	}
	if fs.Changed("iterations") {
		if f.iterations < 0 {
			return ov, fmt.Errorf("invalid --iterations %d: the number of iterations must be 0 or more", f.iterations)
		}
		ov.Iterations = &f.iterations
	}
	if fs.Changed("duration") {
		d, err := scheduler.ParseDuration(f.duration)
		if err != nil {
			return ov, fmt.Errorf("--duration: %w", err)
		}
		ov.Duration = &d
	}
	if f.thinkTime < 0 || math.IsNaN(f.thinkTime) || math.IsInf(f.thinkTime, 0) {
		return ov, fmt.Errorf("invalid --think-time-factor %g: use a number of 0 or more, e.g. 0.5 (0 disables think time)", f.thinkTime)
	}
	return ov, nil
}

// parseSegment reads --segment (or JSLOAD_SEGMENT); the zero Segment without it.
func (f *runFlags) parseSegment() (scheduler.Segment, error) {
	if f.segment == "" {
		return scheduler.Segment{}, nil
	}
	seg, err := scheduler.ParseSegment(f.segment, func(k string) string { return f.environ[k] })
	if err != nil {
		return seg, fmt.Errorf("--segment: %w", err)
	}
	return seg, nil
}

// runSetup is what the flags say about a run, checked: the script, the overrides
// and the environment.
type runSetup struct {
	path   string
	ov     scheduler.Overrides
	seg    scheduler.Segment
	layers []scheduler.OptionLayer
	env    map[string]string
	f      *runFlags
	stop   func() // stops what the setup started (the demo API)
}

// parseSetup checks the flags and arguments; their errors are usage errors (exit 2).
func parseSetup(fs *pflag.FlagSet, f *runFlags) (*runSetup, error) {
	if fs.NArg() != 1 {
		return nil, &usageError{fmt.Errorf("give exactly one script, e.g. jsload %s script.js", fs.Name())}
	}
	if err := applyEnvFlags(fs, f.environ); err != nil {
		return nil, err
	}
	ov, err := f.overrides(fs)
	if err != nil {
		return nil, &usageError{err}
	}
	layers, err := optionLayers(fs, f, f.environ)
	if err != nil {
		return nil, asUsageError(err)
	}
	env, err := parseEnv(f.env, f.environ)
	if err != nil {
		return nil, &usageError{err}
	}
	seg, err := f.parseSegment()
	if err != nil {
		return nil, &usageError{err}
	}
	if err := checkOutputPaths(f); err != nil {
		return nil, &usageError{err}
	}
	if f.memLimit, f.memOff, err = f.memoryLimit(); err != nil {
		if f.maxMemory != "" {
			return nil, &usageError{err}
		}
		f.memOff = true // no limit to guard: run as before there was a guard
	}
	f.systemEnvSet = fs.Changed("include-system-env-vars")
	env = scriptEnv(env, f.systemEnv, f.environ)
	st := &runSetup{path: fs.Arg(0), ov: ov, seg: seg, layers: layers, env: env, f: f, stop: func() {}}
	if f.demo {
		if st.stop, err = startDemo(env); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// load compiles the script; errors are script errors.
func (st *runSetup) load() (*jsruntime.Program, error) {
	prog, err := jsruntime.LoadWith(st.path, jsruntime.LoadOptions{Builtins: jsruntime.BuiltinModules(), Remote: st.f.remote()})
	if err != nil {
		return nil, &scriptError{err}
	}
	if prog.ImportsK6() && !st.f.systemEnvSet {
		// k6 scripts see the environment, as k6 gives it them (see README).
		st.env = scriptEnv(st.env, true, st.f.environ)
	}
	return prog, nil
}

// test builds a test of prog on the calling goroutine, which must also run it.
func (st *runSetup) test(ctx context.Context, prog *jsruntime.Program, io IO) (*scheduler.Test, error) {
	c, err := st.f.dist.dial(st.seg, st.f.runID, io.Stderr)
	if err != nil {
		return nil, err
	}
	var co scheduler.Coordinator
	if c != nil {
		co = c
	}
	test, err := scheduler.NewContext(ctx, scheduler.Config{
		Program:         prog,
		Overrides:       st.ov,
		Env:             st.env,
		ThinkTimeFactor: st.f.thinkTime,
		Console:         io.Stderr,
		Log:             io.Stderr,
		Debug:           st.f.debug,
		ResultsDir:      st.f.resultsDir,
		Segment:         st.seg,
		RunID:           st.f.runID,
		Coordinator:     co,
		PreciseTimers:   true,
		OptionLayers:    st.layers,
		NoThresholds:    st.f.noThresholds,
	})
	if err != nil {
		if c != nil {
			_ = c.Close()
		}
		return nil, &scriptError{err}
	}
	return test, nil
}

// prepare parses args and builds the test; errors in the command line are usage
// errors (exit 2), errors in the script, its options or data script errors (exit 107).
// The returned function releases what the setup started; call it after the run.
func prepare(fs *pflag.FlagSet, f *runFlags, io IO) (*scheduler.Test, string, func(), error) {
	st, err := parseSetup(fs, f)
	if err != nil {
		return nil, "", func() {}, err
	}
	var test *scheduler.Test
	err = interruptibly(io, func(ctx context.Context) error {
		prog, err := st.load()
		if err == nil {
			test, err = st.test(ctx, prog, io)
		}
		return err
	})
	if err != nil {
		st.stop()
		return nil, st.path, func() {}, err
	}
	return test, st.path, st.stop, nil
}

func runCmd(args []string, io IO) int {
	f := runFlags{environ: io.processEnv()}
	fs := newFlagSet("run", "jsload run [flags] script.js", io.Stdout)
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return flagError(io, fs, err)
	}
	if f.watch {
		return watchCmd(fs, &f, io)
	}
	tty := [2]bool{isTerminal(io.Stdout), isTerminal(io.Stderr)}
	var prog *progress
	if !f.quiet {
		// Everything written to stderr from here on passes the progress line.
		prog = newProgress(io.Stderr, 0)
		io.Stderr = prog.Log()
	}
	test, path, release, err := prepare(fs, &f, io)
	if err != nil {
		return exitCode(io.Stderr, err)
	}
	defer release()
	if c := f.dist.client; c != nil {
		defer c.Close()
	}
	if len(f.outs) == 0 {
		f.outs = configOutputs(f.config)
	}
	outs, err := openOutputs(f.outs)
	if err != nil {
		test.Close()
		return exitCode(io.Stderr, &usageError{err})
	}
	series, err := newSeriesFile(f.resultsDir)
	if err != nil {
		_ = outs.Close()
		test.Close()
		return exitCode(io.Stderr, err)
	}
	test.SetOutputs(append(outs, series.out))
	test.SetSummaryData(summaryData(test, tty, summaryOptions(test, &f)))
	if prog != nil {
		fmt.Fprintf(io.Stdout, "jsload %s: running %s\n", Version, path)
		test.Plan.Describe(io.Stdout)
		fmt.Fprintln(io.Stdout)
		test.SetInitProgress(io.Stderr)
		prog.planned = plannedIterations(test.Plan)
		if f.dist.client != nil && test.Plan.Segment.Index == 0 {
			prog.planned = plannedIterations(test.Plan.Whole()) // its progress is the whole test's
		}
		test.SetProgress(prog.update)
	}
	stopSignals := watchSignals(test, io)
	defer stopSignals() // after the summary is written: a second Ctrl+C ends even that
	stopGuard := guardMemory(test, &f, io)
	res, err := test.Run(context.Background())
	stopGuard()
	if prog != nil {
		prog.clear()
	}
	lost := outputsLost(io, outs)
	if err != nil {
		series.discard()
		return exitCode(io.Stderr, &scriptError{err})
	}
	return finish(io, test, res, &f, series, lost)
}

// finish prints the summary (or writes what handleSummary returned), fills the
// run's folder, writes the summary export and decides the exit code of a run
// that happened; lost says an --out output lost metrics.
func finish(io IO, test *scheduler.Test, res *scheduler.Result, f *runFlags, series *seriesFile, lost bool) int {
	text, export := fillRunFolder(io, test, res, summaryOptions(test, f), series)
	if !test.HasSummaryHandler() || !writeHandledSummary(io, res) {
		if !f.noSummary {
			_, _ = io.Stdout.Write(text)
		}
	}
	if f.summaryExport != "" {
		if err := metrics.WriteExportFile(f.summaryExport, export); err != nil {
			fmt.Fprintf(io.Stderr, "jsload: --summary-export: %v\n", err)
			lost = true
		}
	}
	if c := f.dist.client; c != nil {
		if code, ok := finishDistributed(io, c, res, export, f, lost); ok {
			return code
		}
	}
	return exitOfRun(io, res, f.noFailOnError, lost)
}

// summaryOptions are the summary's sections and columns for test.
func summaryOptions(test *scheduler.Test, f *runFlags) metrics.SummaryOptions {
	return metrics.SummaryOptions{ByTags: f.summaryTags, TrendStats: test.Options.SummaryTrendStats, TimeUnit: test.Options.SummaryTimeUnit}
}

func openOutputs(specs []string) (metrics.Outputs, error) {
	var outs metrics.Outputs
	for _, spec := range specs {
		o, ok, err := remote.Open(spec)
		if !ok {
			o, err = metrics.OpenOutput(spec)
		}
		if err != nil {
			_ = outs.Close()
			return nil, err
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// stopper is what watchSignals stops: a *scheduler.Test.
type stopper interface {
	Stop(cause error)
	Abort(cause error)
}

// watchSignals turns a first Ctrl+C into a graceful stop and a second into an
// abort; the process ends if it is still running exitGrace after the second, or
// at a third (see interrupts.go). The returned function stops watching and waits
// for the watcher to end.
func watchSignals(test stopper, io IO) func() {
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		count := 0
		var grace <-chan time.Time // after the second Ctrl+C
		for {
			select {
			case <-done:
				return
			case <-io.Signals:
				count++
				if count == 1 {
					fmt.Fprintln(io.Stderr, "\njsload: stopping: running iterations get their graceful stop to finish; press Ctrl+C again to stop at once")
					test.Stop(scheduler.ErrInterrupted)
				} else if count == 2 {
					fmt.Fprintln(io.Stderr, "jsload: stopping now")
					test.Abort(scheduler.ErrInterrupted)
					grace = time.After(exitGrace)
				} else {
					exitNow(io, "a third Ctrl+C")
				}
			case <-grace:
				exitNow(io, fmt.Sprintf("the run did not stop within %s of the second Ctrl+C", exitGrace))
			}
		}
	}()
	return func() { close(done); <-ended }
}
