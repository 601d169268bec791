package jsruntime

import (
	"context"
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
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

	shared  *Shared
	prog    *Program
	rec     Recorder
	main    *Runtime
	exports *goja.Object
	data    goja.Value // setup()'s result in this runtime, or undefined
	funcs   map[string]goja.Callable
}

// NewVU builds a VU: a new runtime with the VU API installed, in which the main
// script's top-level code has run. Call it on the goroutine that will run the VU.
func NewVU(ctx context.Context, s *Shared, info *bindings.VUInfo) (*VU, error) {
	vu := &VU{Info: info, shared: s, prog: s.Program, rec: s.recorder(info)}
	vu.main = newRuntime(vu, "")
	vu.main.bind(ctx)
	exports, err := vu.main.evaluate(s.Program.Main)
	if err != nil {
		vu.main.close()
		return nil, err
	}
	vu.exports = exports
	vu.data = goja.Undefined()
	if s.SetupData != nil {
		v, err := vu.main.rt.RunString("(" + string(s.SetupData) + ")")
		if err != nil {
			vu.main.close()
			return nil, fmt.Errorf("pass setup() data to VU %d: %w", info.ID, err)
		}
		vu.data = v
	}
	return vu, nil
}

// Func returns the exported function name, or nil when the script does not export
// one. Lookups are cached.
func (vu *VU) Func(name string) goja.Callable {
	if fn, ok := vu.funcs[name]; ok {
		return fn
	}
	fn, _ := goja.AssertFunction(vu.exports.Get(name))
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
	fn := vu.Func(exec)
	if fn == nil {
		return fmt.Errorf("the script exports no function %q to iterate", exec)
	}
	_, err := vu.main.call(ctx, fn, vu.data)
	return err
}

// Close releases the VU's runtime. Idempotent.
func (vu *VU) Close() {
	if vu.main != nil {
		vu.main.close()
	}
}

// Recorder receives what a VU's scripts report; the metrics pipeline implements it.
// It is called from the VU's main runtime and its background runtimes, so an
// implementation must be safe for use by several goroutines of one VU.
type Recorder interface {
	Check(name string, ok bool)
}
