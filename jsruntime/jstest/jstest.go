// Package jstest builds jsload VUs for Go tests: the tests of jsruntime and of
// every binding, whose behaviour is tested in JavaScript (scripts under each
// package's testdata/ whose functions throw on failure, run by table tests).
//
//	func TestScripts(t *testing.T) {
//		for _, fn := range []string{"typed", "errors"} {
//			t.Run(fn, func(t *testing.T) {
//				vu := jstest.NewVU(t, "testdata/dictapi.js")
//				if err := vu.Run(context.Background(), fn); err != nil {
//					t.Fatal(err)
//				}
//			})
//		}
//	}
//
// Scripts loaded here can import the assertions of assert.js (embedded):
//
//	import { eq, ok, throws } from 'jstest/assert';
//
// A VU's methods must be called on the goroutine that built it (see jsruntime):
// NewVU builds it on the test's goroutine; Build and InVUs build VUs on other
// goroutines. jstest imports jsruntime, so jsruntime's own tests that use it are
// in package jsruntime_test.
package jstest

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// AssertModule is the name test scripts import assert.js by.
const AssertModule = "jstest/assert"

//go:embed assert.js
var assertJS string

// Load compiles the script at path with jsload's built-in modules and
// AssertModule, failing tb on error. Each call compiles anew: use it for a file
// the test writes (or rewrites, for a reload).
func Load(tb testing.TB, path string) *jsruntime.Program {
	tb.Helper()
	p, err := jsruntime.Load(path, jsruntime.BuiltinModules(), jsruntime.Source{Name: AssertModule, Text: assertJS})
	if err != nil {
		tb.Fatalf("load %s: %v", path, err)
	}
	return p
}

// compiled holds the programs of New by absolute path: a testdata script is
// compiled once per test binary, whatever the number of tests that run it.
var compiled sync.Map

func loadOnce(tb testing.TB, path string) *jsruntime.Program {
	tb.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	if p, ok := compiled.Load(abs); ok {
		return p.(*jsruntime.Program)
	}
	p, _ := compiled.LoadOrStore(abs, Load(tb, path))
	return p.(*jsruntime.Program)
}

// Test is the test-wide state of the VUs of one Go test: a compiled script, a
// metric registry of its own, think time as written. Its VUs are numbered from 1
// in the order they are built, unless an ID option says otherwise.
type Test struct {
	// State is what the VUs share. Set its fields (Console, OnError,
	// RunningVUs, ...) before building the first VU.
	State *jsruntime.TestState

	opts []Option
	ids  atomic.Int64
}

// New returns a Test of the script at path (compiled once per test binary)
// whose VUs get opts, unless a VU's own options say otherwise. It fails tb when
// the script does not compile.
func New(tb testing.TB, path string, opts ...Option) *Test {
	tb.Helper()
	return NewProgram(loadOnce(tb, path), opts...)
}

// NewProgram returns a Test of the compiled program p (from Load).
func NewProgram(p *jsruntime.Program, opts ...Option) *Test {
	return &Test{
		State: &jsruntime.TestState{Program: p, Metrics: metrics.NewRegistry(), ThinkTimeFactor: 1},
		opts:  opts,
	}
}

// NewVU builds VU 1 of a new Test of the script at path, on the calling
// goroutine; see Test.NewVU.
func NewVU(tb testing.TB, path string, opts ...Option) *jsruntime.VU {
	tb.Helper()
	return New(tb, path, opts...).NewVU(tb)
}

// NewVU builds a VU on the calling goroutine, which must be tb's (a Test may
// serve several parallel subtests): it fails tb when the script's top level
// throws, and closes the VU when tb ends.
func (t *Test) NewVU(tb testing.TB, opts ...Option) *jsruntime.VU {
	tb.Helper()
	vu, err := t.Build(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(vu.Close)
	return vu
}

// Build builds a VU on the calling goroutine, which may be any: the caller uses
// it there and closes it.
func (t *Test) Build(opts ...Option) (*jsruntime.VU, error) {
	c := vuConfig{id: -1}
	for _, o := range t.opts {
		o(&c)
	}
	for _, o := range opts {
		o(&c)
	}
	if c.id < 0 {
		c.id = t.ids.Add(1)
	}
	info := &bindings.VUInfo{ID: c.id, IDInGroup: c.id, Group: "default", Env: c.env, Run: c.run}
	vu, err := jsruntime.NewVU(context.Background(), t.State, info, c.dict)
	if err != nil {
		return nil, fmt.Errorf("new VU %d: %w", c.id, err)
	}
	return vu, nil
}

// InVUs builds n VUs, each on a goroutine of its own, waits until every one is
// built, then runs body in all of them at once and returns their errors (nil
// for success), index i for VU i. Building a VU takes long on a busy machine:
// were they started as they were built, the first VUs' short waits could run
// out before the last ones start. A VU that cannot be built does not run body.
func (t *Test) InVUs(n int, body func(i int, vu *jsruntime.VU) error, opts ...Option) []error {
	errs := make([]error, n)
	var built, done sync.WaitGroup
	built.Add(n)
	start := make(chan struct{})
	for i := range n {
		done.Go(func() {
			vu, err := t.Build(opts...)
			built.Done()
			if err != nil {
				errs[i] = err
				return
			}
			defer vu.Close()
			<-start
			errs[i] = body(i, vu)
		})
	}
	built.Wait()
	close(start)
	done.Wait()
	return errs
}

// RunVUs runs the exported function fn in n VUs at once, as InVUs does, and
// returns their errors.
func (t *Test) RunVUs(ctx context.Context, n int, fn string, opts ...Option) []error {
	return t.InVUs(n, func(_ int, vu *jsruntime.VU) error { return vu.Run(ctx, fn) }, opts...)
}

// RunExports runs, as parallel subtests of t, every function the script at path
// exports whose name starts with prefix, each in a VU of its own; the functions
// throw (or reject) on failure. A function still running after exportBound is
// interrupted as hung. A script that exports none fails t.
func RunExports(t *testing.T, path, prefix string, opts ...Option) {
	t.Helper()
	tt := New(t, path, opts...)
	ran := 0
	for _, name := range tt.NewVU(t).Exports() {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		ran++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeoutCause(context.Background(), exportBound, errors.New("the test hung"))
			defer cancel()
			if err := tt.NewVU(t).Run(ctx, name); err != nil {
				t.Error(err)
			}
		})
	}
	if ran == 0 {
		t.Fatalf("%s exports no function named %s*", path, prefix)
	}
}

// exportBound is how long RunExports lets a function run: only against a hang.
const exportBound = time.Minute

// Option sets up the VUs of a Test (given to New) or one VU (given to NewVU,
// Build, InVUs or RunVUs, after the Test's).
type Option func(*vuConfig)

type vuConfig struct {
	id   int64
	env  map[string]string
	dict *dict.Store
	run  bindings.RunState
}

// Env is the VU's __ENV.
func Env(env map[string]string) Option { return func(c *vuConfig) { c.env = env } }

// ID numbers the VU (also its number in its group) instead of the next number
// of the Test; 0 is the VU that runs setup() and teardown().
func ID(id int64) Option { return func(c *vuConfig) { c.id = id } }

// Dict is the VU's data dictionary (by default a new, empty one). Give it to
// one VU only.
func Dict(store *dict.Store) Option { return func(c *vuConfig) { c.dict = store } }

// RunState is what the VU reads of its run and group (k6/execution), as a
// scheduler would give it; none by default.
func RunState(s bindings.RunState) Option { return func(c *vuConfig) { c.run = s } }
