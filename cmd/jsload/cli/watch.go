package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/pflag"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/scheduler"
)

// errReload is the cause of a run stopped because the script changed in a way a
// swap cannot follow (options, data).
var errReload = errors.New("restarted by a change of the script")

// watchSession is `jsload run --watch`: it runs the test, swaps each successfully
// compiled change into the running VUs, restarts the run when its load shape or
// data change, and starts it again after it finished. It lives on the goroutine
// that called watchCmd; each run lives on a goroutine of its own.
type watchSession struct {
	st   *runSetup
	io   IO
	w    *watcher
	opts []byte // options JSON of the latest program that compiled

	test *scheduler.Test // the running test, nil between runs
	done chan runOutcome

	// files is what the watched file set is built from; the collector goroutine
	// reads it (see progress) while this session's goroutine replaces it.
	files atomic.Pointer[watchFiles]

	mu      sync.Mutex
	genSnap *metrics.Snapshot // metrics of the current generation
	gen     int

	totals   *metrics.Snapshot // every finished run, merged
	lastRes  *scheduler.Result
	runs     int
	quitting bool
}

// watchFiles are the sources of the watched files: the latest program that
// compiled, and the data files of the latest run that started (kept between runs,
// so a fix to a data file that stopped a run is seen).
type watchFiles struct {
	prog *jsruntime.Program
	data []string
}

type runOutcome struct {
	res *scheduler.Result
	err error
}

func watchCmd(fs *pflag.FlagSet, f *runFlags, io IO) int {
	// Runs while watching are restarted and cut short at will: their metrics are
	// not a result worth recording (each run's folder under --results-dir is).
	if len(f.outs) > 0 || f.summaryExport != "" {
		return exitCode(io.Stderr, &usageError{errors.New("--out and --summary-export do not apply to --watch: run without --watch to record metrics")})
	}
	if f.dist.coordinator != "" {
		return exitCode(io.Stderr, &usageError{errors.New("--coordinator does not apply to --watch: a distributed run is a run, not a development loop")})
	}
	st, err := parseSetup(fs, f)
	if err != nil {
		return exitCode(io.Stderr, err)
	}
	defer st.stop()
	w, err := newWatcher()
	if err != nil {
		return exitCode(io.Stderr, fmt.Errorf("watch: %w", err))
	}
	defer w.Close()
	s := &watchSession{st: st, io: io, w: w}
	return s.loop()
}

func (s *watchSession) printf(format string, args ...any) {
	fmt.Fprintf(s.io.Stderr, "jsload: "+format+"\n", args...)
}

func (s *watchSession) loop() int {
	_ = s.w.Set([]string{s.st.path})
	s.printf("watching %s and the files it uses; Ctrl+C ends watching", s.st.path)
	if prog, err := s.compile(); errors.Is(err, scheduler.ErrInterrupted) {
		return ExitExternalAbort // Ctrl+C while the script loaded
	} else if err != nil {
		s.printf("%s\n  fix it and save: the run starts when the script compiles", err)
	} else {
		s.startRun(prog)
	}
	interrupts := 0
	for {
		select {
		case paths := <-s.w.Changes:
			s.changed(paths)
		case err := <-s.w.Errors:
			s.printf("watch: %v", err)
		case out := <-s.done:
			s.ended(out)
		case <-s.io.Signals:
			interrupts++
			if s.test == nil {
				return s.final()
			}
			s.quitting = true
			if interrupts == 1 {
				s.printf("stopping: running iterations get their graceful stop; Ctrl+C again stops at once")
				s.test.Stop(scheduler.ErrInterrupted)
			} else {
				s.test.Abort(scheduler.ErrInterrupted)
			}
			s.ended(<-s.done)
			return s.final()
		}
	}
}

// compile loads the script and reads its options, without running anything.
func (s *watchSession) compile() (*jsruntime.Program, error) {
	prog, err := s.st.load()
	if err != nil {
		return nil, err
	}
	var opts []byte
	err = interruptibly(s.io, func(ctx context.Context) (err error) {
		opts, err = readOptions(ctx, prog, s.st.env)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.opts = opts
	s.setFiles(prog, nil)
	return prog, nil
}

// readOptions evaluates prog's top level, with the run's environment env, in a
// throwaway runtime that lives and dies on the calling goroutine, and returns its
// options as JSON; cancelling ctx interrupts the top level.
func readOptions(ctx context.Context, prog *jsruntime.Program, env map[string]string) ([]byte, error) {
	shared := &jsruntime.TestState{Program: prog, Metrics: metrics.NewRegistry()}
	vu, err := jsruntime.NewVU(ctx, shared, &bindings.VUInfo{Group: "setup", Env: env}, nil)
	if err != nil {
		return nil, err
	}
	defer vu.Close()
	return vu.OptionsJSON()
}

// startRun starts a run of prog on its own goroutine (New and Run there).
func (s *watchSession) startRun(prog *jsruntime.Program) {
	s.runs++
	s.done = make(chan runOutcome, 1)
	ready := make(chan *scheduler.Test, 1)
	watching := make(chan struct{}) // closed once every file of the run is watched
	s.mu.Lock()
	s.genSnap, s.gen = nil, 1
	s.mu.Unlock()
	go func() {
		test, err := s.st.test(context.Background(), prog, s.io) // its top level ran in compile, interruptibly
		ready <- test
		if err != nil {
			s.done <- runOutcome{err: err}
			return
		}
		series, serr := newSeriesFile(s.st.f.resultsDir)
		if serr == nil {
			test.SetOutputs(metrics.Outputs{series.out})
		}
		test.SetProgress(s.progress)
		test.OnGenerationLive(func(gen int, took time.Duration) {
			s.printf("generation %d runs in every VU (swap took %s)", gen, took.Round(time.Millisecond))
		})
		stopGuard := guardMemory(test, s.st.f, s.io)
		<-watching // an edit made while the first iteration runs is seen
		res, err := test.Run(context.Background())
		stopGuard()
		switch {
		case serr != nil:
			s.printf("results folder: %v", serr)
		case err != nil:
			series.discard()
		default: // each run's folder is filled, as without --watch
			fillRunFolder(s.io, test, res, summaryOptions(test, s.st.f), series)
		}
		s.done <- runOutcome{res, err}
	}()
	s.test = <-ready
	if s.test != nil {
		s.setFiles(prog, s.test.DataFiles)
		_ = s.w.Set(s.watched())
		s.printf("run %d started: %s", s.runs, planLine(s.test.Plan))
	}
	close(watching)
}

// setFiles records prog and, when not nil, the data files of the run being started.
func (s *watchSession) setFiles(prog *jsruntime.Program, data []string) {
	next := &watchFiles{prog: prog, data: data}
	if prev := s.files.Load(); prev != nil && data == nil {
		next.data = prev.data
	}
	s.files.Store(next)
}

// watched are the files whose change matters: the compiled files (main script,
// imports, background scripts compiled so far) and the data files. Safe from any
// goroutine.
func (s *watchSession) watched() []string {
	files := []string{s.st.path}
	if f := s.files.Load(); f != nil {
		files = append(files, f.prog.Files()...)
		files = append(files, f.data...)
	}
	return files
}

func (s *watchSession) progress(p scheduler.Progress) {
	s.mu.Lock()
	s.genSnap, _ = metrics.MergeSnapshots(s.genSnap, p.Interval) // one run, one registry: no clash
	s.mu.Unlock()
	_ = s.w.Set(s.watched()) // background scripts compiled since are watched too
}

// changed handles one debounced batch of changed files.
func (s *watchSession) changed(paths []string) {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = jsruntime.DisplayPath(p)
	}
	begin := time.Now()
	prevOpts := s.opts
	prog, err := s.compile()
	if err != nil {
		if s.test != nil {
			s.printf("%s changed: %s\n  generation %d keeps running; save again to retry", strings.Join(names, ", "), err, s.gen)
		} else {
			s.printf("%s changed: %s", strings.Join(names, ", "), err)
		}
		return
	}
	reason := ""
	switch {
	case s.test == nil:
		reason = "starting the run again"
	case !bytes.Equal(prevOpts, s.opts):
		reason = "options changed: restarting the run with the new load shape"
	case s.dataChanged(paths):
		reason = "data changed: restarting the run with the new data"
	}
	if reason == "" {
		gen := s.test.Swap(prog)
		s.mu.Lock()
		summary := "no metrics yet"
		if s.genSnap != nil {
			summary = metrics.CompactSummary(s.genSnap)
		}
		s.genSnap, s.gen = nil, gen
		s.mu.Unlock()
		s.printf("%s changed: generation %d compiled in %s, swapping in at each VU's next iteration (generation %d: %s)",
			strings.Join(names, ", "), gen, time.Since(begin).Round(time.Millisecond), gen-1, summary)
		_ = s.w.Set(s.watched())
		return
	}
	s.printf("%s changed: %s", strings.Join(names, ", "), reason)
	if s.test != nil {
		s.test.Abort(errReload)
		s.ended(<-s.done)
	}
	s.startRun(prog)
}

func (s *watchSession) dataChanged(paths []string) bool {
	f := s.files.Load()
	if f == nil {
		return false
	}
	for _, p := range paths {
		for _, d := range f.data {
			if abs, err := filepath.Abs(d); err == nil && abs == p {
				return true
			}
		}
	}
	return false
}

// ended records a finished (or failed) run.
func (s *watchSession) ended(out runOutcome) {
	s.test = nil
	if out.err != nil {
		s.printf("%s\n  fix it and save to start again", out.err)
		return
	}
	s.lastRes = out.res
	var clash error
	if s.totals, clash = metrics.MergeSnapshots(s.totals, out.res.Totals); clash != nil {
		s.printf("the total of all runs leaves out this run's %s", clash)
	}
	switch {
	case errors.Is(out.res.Aborted, errReload):
	case s.quitting:
		s.printf("run %d stopped: %s", s.runs, metrics.CompactSummary(out.res.Totals))
	case out.res.Aborted != nil:
		s.printf("run %d aborted: %v\n  %s; waiting for changes (Ctrl+C to quit)", s.runs, out.res.Aborted, metrics.CompactSummary(out.res.Totals))
	default:
		s.printf("run %d finished: %s; waiting for changes (Ctrl+C to quit)", s.runs, metrics.CompactSummary(out.res.Totals))
	}
}

// final prints the summary of everything run while watching; the exit code says
// whether the thresholds of the last run failed.
func (s *watchSession) final() int {
	if s.totals == nil {
		return ExitOK
	}
	fmt.Fprintln(s.io.Stdout)
	var results []metrics.Result
	if s.lastRes != nil {
		results = s.lastRes.Thresholds
	}
	if err := metrics.WriteSummary(s.io.Stdout, s.totals, results); err != nil {
		s.printf("summary: %v", err)
	}
	fmt.Fprintf(s.io.Stdout, "\n  %d run(s) while watching\n", s.runs)
	if s.lastRes != nil && s.lastRes.ThresholdsFailed() {
		s.printf("some thresholds of the last run failed")
		return ExitThresholds
	}
	return ExitOK
}

// planLine summarises a plan on one line.
func planLine(p *scheduler.Plan) string {
	parts := make([]string, 0, len(p.Groups))
	for _, g := range p.Groups {
		parts = append(parts, g.Executor.Describe())
	}
	return strings.Join(slices.Compact(parts), "; ")
}
