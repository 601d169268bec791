package jsruntime

import (
	"context"
	"fmt"
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

// VU is one virtual user: its main runtime and the state its runtimes share. All
// methods but Info must be called from the goroutine that created the VU; the
// scheduler gives each VU a goroutine of its own.
type VU struct {
	// Info identifies the VU; shared with its background runtimes.
	Info *bindings.VUInfo
	// Dict is the VU's data dictionary, safe for use by all its runtimes.
	Dict *dict.Store
	// Feed is the VU's view of the data bindings (nil without options.data). The
	// scheduler sets it after NewVU, before the VU's first call.
	Feed *dict.Feed

	shared  *Shared
	prog    *Program
	sink    *metrics.Sink
	tags    metrics.Tags
	main    *Runtime
	exports *goja.Object
	data    goja.Value // setup()'s result in this runtime, or undefined
	funcs   map[string]goja.Callable

	localsMu sync.Mutex
	locals   map[any]any // VULocal values, shared by the VU's runtimes

	baseCtx context.Context // the VU's lifetime: background scripts derive from it
	bg      *bgRegistry
	gen     *Generation // the hot-reload generation the main runtime runs
	closed  bool
}

// NewVU builds a VU: a new runtime with the VU API installed, in which the main
// script's top-level code has run. store is the VU's data dictionary (nil for a new
// empty one). Call it on the goroutine that will run the VU.
func NewVU(ctx context.Context, s *Shared, info *bindings.VUInfo, store *dict.Store) (*VU, error) {
	if store == nil {
		store = dict.New()
	}
	g := s.generation()
	vu := &VU{Info: info, Dict: store, shared: s, prog: g.Program, gen: g, sink: s.Metrics.NewSink(),
		tags: s.Tags.Merge(info.Tags).With("group", info.Group), baseCtx: ctx}
	vu.bg = &bgRegistry{vu: vu}
	vu.main = newRuntime(vu, g.Program, "", store)
	vu.main.bind(ctx)
	exports, err := vu.main.evaluate(g.Program.Main)
	if err != nil {
		vu.Close()
		return nil, err
	}
	vu.exports = exports
	if info.ID > 0 { // setup/teardown and option readers never iterate
		s.liveVUs.Add(1)
	}
	vu.data = goja.Undefined()
	if s.SetupData != nil {
		v, err := vu.main.rt.RunString("(" + string(s.SetupData) + ")")
		if err != nil {
			vu.Close()
			return nil, fmt.Errorf("pass setup() data to VU %d: %w", info.ID, err)
		}
		vu.data = v
	}
	return vu, nil
}

// Func returns the exported function name, or nil when the script does not export
// one (or reading the export throws). Lookups are cached.
func (vu *VU) Func(name string) goja.Callable {
	if fn, ok := vu.funcs[name]; ok {
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
	return fn
}

// Run calls the exported function name with the setup data, under ctx, and waits
// until it has settled (its promise and timers). A missing export is not an error:
// life-cycle hooks are optional. Cancelling ctx interrupts the function wherever it
// is; the error is then context.Cause(ctx).
func (vu *VU) Run(ctx context.Context, name string) error {
	vu.main.bind(ctx) // before Func: reading an export runs a getter
	fn := vu.Func(name)
	if fn == nil {
		return nil
	}
	_, err := vu.main.call(ctx, fn, vu.data)
	return err
}

// Iterate runs one iteration of the exported function exec: it records the
// iteration number in Info, then calls the function as Run does.
func (vu *VU) Iterate(ctx context.Context, exec string, iteration, inGroup int64) error {
	vu.Info.SetIteration(iteration, inGroup)
	if g := vu.shared.generation(); g != vu.gen {
		vu.swap(ctx, g)
	}
	vu.main.bind(ctx) // before Func: reading an export runs a getter
	fn := vu.Func(exec)
	if fn == nil {
		return fmt.Errorf("the script exports no function %q to iterate", exec)
	}
	_, err := vu.main.call(ctx, fn, vu.data)
	vu.bg.endIteration()
	return err
}

// StopBackground stops every background script of the VU by its stop mode (a
// request first, for scripts stopped by request) and waits until all have ended.
// The scheduler calls it at the end of the VU, before vuEnd.
func (vu *VU) StopBackground() { vu.bg.stopEverything(false, false) }

// Close releases the VU's runtime and closes its metric sink (what it recorded still
// reaches the totals). Idempotent.
func (vu *VU) Close() {
	if vu.closed {
		return
	}
	vu.closed = true
	if vu.exports != nil && vu.Info.ID > 0 {
		vu.shared.liveVUs.Add(-1)
	}
	vu.bg.stopEverything(true, true) // nothing outlives its VU
	if vu.main != nil {
		vu.main.close()
	}
	vu.closeLocals()
	vu.sink.Close()
}

// Sink is the VU's metric sink, shared by its runtimes.
func (vu *VU) Sink() *metrics.Sink { return vu.sink }

// Tags are the tags of the VU's samples.
func (vu *VU) Tags() metrics.Tags { return vu.tags }

// closeLocals closes the per-VU values that can be closed (e.g. the HTTP client's
// idle connections), once every runtime of the VU has ended.
func (vu *VU) closeLocals() {
	vu.localsMu.Lock()
	locals := vu.locals
	vu.locals = nil
	vu.localsMu.Unlock()
	for _, v := range locals {
		switch c := v.(type) {
		case interface{ Close() error }:
			_ = c.Close()
		case interface{ Close() }:
			c.Close()
		}
	}
}

// local returns the per-VU value under key, creating it once.
func (vu *VU) local(key any, create func() any) any {
	vu.localsMu.Lock()
	defer vu.localsMu.Unlock()
	if v, ok := vu.locals[key]; ok {
		return v
	}
	if vu.locals == nil {
		vu.locals = map[any]any{}
	}
	v := create()
	vu.locals[key] = v
	return v
}
