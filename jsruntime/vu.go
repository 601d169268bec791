package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/metrics"
)

// Life-cycle exports a script may define besides its iteration functions.
const (
	FuncDefault  = "default"
	FuncVUInit   = "vuInit"
	FuncVUEnd    = "vuEnd"
	FuncSetup    = "setup"
	FuncTeardown = "teardown"
)

// VU is one virtual user: its main runtime and the state its runtimes share. Its
// methods must be called from the goroutine that created the VU (the scheduler
// gives each VU a goroutine of its own); Info and Dict may be read from any.
type VU struct {
	// Info identifies the VU; shared with its background runtimes.
	Info *bindings.VUInfo
	// Dict is the VU's data dictionary, safe for use by all its runtimes.
	Dict *dict.Store
	// Feed is the VU's view of the data bindings (nil without options.data). The
	// scheduler sets it after NewVU, before the VU's first call.
	Feed *dict.Feed

	test    *TestState
	sink    *metrics.Sink
	tags    metrics.Tags
	main    *scriptRuntime
	exports *goja.Object
	data    goja.Value // setup()'s result in this runtime, or undefined
	funcs   map[string]goja.Callable
	lastFn  namedFunc     // the last of funcs Func returned
	args    [1]goja.Value // Iterate's arguments
	locals  locals        // VULocal values, shared by the VU's runtimes

	baseCtx context.Context // the VU's lifetime: background scripts derive from it
	bg      *bgRegistry
	browser browser     // cookies, connections and scripts an iteration's browser keeps (browser.go)
	gen     *generation // the hot-reload generation the VU last moved to
	running *generation // the generation the VU is counted as running (TestState.moveVU); nil if not counted
	closed  bool
}

// NewVU builds a VU: a new runtime with the VU API installed, in which the main
// script's top-level code has run. store is the VU's data dictionary (nil for a new
// empty one). Call it on the goroutine that will run the VU.
func NewVU(ctx context.Context, s *TestState, info *bindings.VUInfo, store *dict.Store) (*VU, error) {
	if store == nil {
		store = dict.New()
	}
	g := s.current()
	vu := &VU{Info: info, Dict: store, test: s, gen: g, sink: s.Metrics.NewSink(),
		tags: s.Tags.Merge(info.Tags).With("group", info.Group), baseCtx: ctx}
	vu.bg = &bgRegistry{vu: vu}
	if err := vu.load(ctx, g.Program); err != nil {
		vu.Close()
		return nil, err
	}
	if info.ID > 0 { // setup/teardown and option readers never iterate
		vu.running = g
		s.moveVU(nil, g)
	}
	return vu, nil
}

// load builds a runtime of program p bound to ctx, runs the main script and
// converts the setup data in it, and makes it the VU's main runtime, closing the one
// it replaces (NewVU and swap). On error the VU keeps the runtime it had.
func (vu *VU) load(ctx context.Context, p *Program) error {
	r := newRuntime(vu, p, "", vu.Dict)
	r.bind(ctx)
	exports, err := r.evaluate(p.Main)
	var data goja.Value = goja.Undefined()
	if err == nil && vu.test.SetupData != nil {
		if data, err = r.parseJSON(vu.test.SetupData); err != nil {
			err = fmt.Errorf("pass setup() data to VU %d: %w", vu.Info.ID, err)
		}
	}
	if err != nil {
		r.close()
		return err
	}
	if vu.main != nil {
		vu.main.close()
	}
	vu.main, vu.exports, vu.data, vu.funcs, vu.lastFn = r, exports, data, nil, namedFunc{}
	return nil
}

// Func returns the exported function name, or nil when the script does not export
// one (or reading the export throws). Lookups are cached.
func (vu *VU) Func(name string) goja.Callable {
	if vu.lastFn.fn != nil && vu.lastFn.name == name { // the function of every iteration
		return vu.lastFn.fn
	}
	if fn, ok := vu.funcs[name]; ok {
		vu.lastFn = namedFunc{name, fn}
		return fn
	}
	v, err := vu.main.getExport(vu.exports, name)
	if err != nil {
		return nil // not cached: an interrupted lookup is tried again next time
	}
	fn, _ := goja.AssertFunction(v)
	if vu.funcs == nil {
		vu.funcs = map[string]goja.Callable{}
	}
	vu.funcs[name] = fn
	vu.lastFn = namedFunc{name, fn}
	return fn
}

// namedFunc is the function Func returned last, looked up without the map.
type namedFunc struct {
	name string
	fn   goja.Callable
}

// Run calls the exported function name with the setup data, under ctx, and waits
// until it has settled (its promise and timers). A missing export is not an error:
// life-cycle hooks are optional. Cancelling ctx interrupts the function wherever it
// is; the error is then context.Cause(ctx).
func (vu *VU) Run(ctx context.Context, name string) error {
	vu.repair(ctx)
	vu.main.bind(ctx) // before Func: reading an export runs a getter
	fn := vu.Func(name)
	if fn == nil {
		return nil
	}
	_, err := vu.main.call(ctx, fn, vu.data)
	return err
}

// Iterate runs one iteration of the exported function exec: it records the
// iteration number in Info, starts a new browser if EndBrowser ended the last
// one, moves to the newest hot-reload generation, then calls the function as
// Run does.
func (vu *VU) Iterate(ctx context.Context, exec string, iteration, inGroup int64) error {
	vu.Info.SetIteration(iteration, inGroup)
	if vu.browser.ended { // before a reload's vuInit, whose cookies are the new browser's
		vu.browser.renew()
	}
	if g := vu.test.current(); g != vu.gen {
		vu.swap(ctx, g)
	}
	vu.repair(ctx)
	vu.main.bind(ctx) // before Func: reading an export runs a getter
	fn := vu.Func(exec)
	if fn == nil {
		return fmt.Errorf("the script exports no function %q to iterate", exec)
	}
	vu.args[0] = vu.data // a slice of the VU's, which the call does not keep: no allocation per iteration
	_, err := vu.main.call(ctx, fn, vu.args[:]...)
	vu.args[0] = nil
	vu.bg.endIteration()
	return err
}

// repair replaces a main runtime that a stack overflow left unusable (see
// scriptRuntime.checkStack) with a new one of the same program: the module state
// of the old one is lost, the dictionary and data rows stay, vuInit does not run
// again. The replacement is reported.
func (vu *VU) repair(ctx context.Context) {
	if !vu.main.broken {
		return
	}
	err := vu.load(ctx, vu.main.prog)
	if err == nil {
		err = errors.New("a stack overflow in an async function left the VU's runtime unusable: it was rebuilt, and the script's module state with it")
	}
	vu.test.reportError(fmt.Sprintf("VU %d", vu.Info.ID), err)
}

// Exports returns the names the main script exports, sorted.
func (vu *VU) Exports() []string {
	keys := vu.exports.Keys()
	sort.Strings(keys)
	return keys
}

// StopBackground stops every background script of the VU by its stop mode (a
// request first, for scripts stopped by request) and waits until all have ended.
// The scheduler calls it at the end of the VU, before vuEnd.
func (vu *VU) StopBackground() {
	vu.browser.initScripts = nil
	vu.bg.stopEverything(errVUEnded)
}

// Close releases the VU's runtime and closes its metric sink (what it recorded still
// reaches the totals). Idempotent.
func (vu *VU) Close() {
	if vu.closed {
		return
	}
	vu.closed = true
	if vu.running != nil {
		vu.test.moveVU(vu.running, nil)
		vu.running = nil
	}
	vu.bg.closeAll() // nothing outlives its VU
	if vu.main != nil {
		vu.main.close()
	}
	vu.locals.close() // after every runtime of the VU has ended
	vu.sink.Close()
}

// Sink is the VU's metric sink, shared by its runtimes.
func (vu *VU) Sink() *metrics.Sink { return vu.sink }

// Tags are the tags of the VU's samples.
func (vu *VU) Tags() metrics.Tags { return vu.tags }

// locals are values made once per key and then shared: a VU's (VULocal) or the
// test's (TestLocal). Safe for concurrent use; the zero value is empty.
type locals struct {
	mu sync.Mutex
	m  map[any]any
}

// get returns the value under key, creating it once.
func (l *locals) get(key any, create func() any) any {
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, ok := l.m[key]; ok {
		return v
	}
	if l.m == nil {
		l.m = map[any]any{}
	}
	v := create()
	l.m[key] = v
	return v
}

// close closes and forgets the values that can be closed (e.g. the HTTP client's
// idle connections). Call it once nothing uses them any more.
func (l *locals) close() {
	l.mu.Lock()
	m := l.m
	l.m = nil
	l.mu.Unlock()
	for _, v := range m {
		switch c := v.(type) {
		case interface{ Close() error }:
			_ = c.Close()
		case interface{ Close() }:
			c.Close()
		}
	}
}
