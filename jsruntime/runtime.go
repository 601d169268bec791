package jsruntime

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/metrics"
)

// scriptRuntime is one goja runtime of a VU with its event loop. It is used by
// exactly one goroutine for its whole life; Interrupt (through the bound context) is
// the only call made on it from elsewhere. A VU has one main scriptRuntime; each
// background script gets one of its own. It is the bindings.Host its bindings see.
type scriptRuntime struct {
	vu   *VU
	prog *Program // the generation this runtime runs
	rt   *goja.Runtime
	loop eventLoop   // in the runtime's own memory: settle reads it after every call
	name string      // "" for the main runtime, the background script id otherwise
	dict *dict.Store // the VU's dictionary, or a background script's copy/overlay
	tags metrics.Tags

	evaluating int // modules whose top level is running now (InitContext)

	ctx      context.Context
	stopIntr func() bool
	intrDone chan struct{}

	api     *goja.Object            // the `jsload` module, also published as globals
	modules map[string]*goja.Object // module.exports by absolute path or built-in name
	loading map[string]*goja.Object // the module objects of the files being evaluated now

	unhandled map[*goja.Promise]struct{} // rejected promises nobody handled yet

	broken bool // a stack overflow left frames on goja's call stack: replace the runtime

	bg        *bgScript   // the background script this runtime runs, nil for the main one
	scoped    []*bgScript // scripts with stop: 'script' created during the current call
	atCallEnd []func()    // OnCallEnd's functions for the current call

	exportFn, toCJSFn goja.Value                                        // native esbuild helpers, made on first use
	dropFn            goja.Value                                        // the modules' __jsload_drop, made on first use (dropped.go)
	droppers          []func(fn *goja.Object, name string) *goja.Object // the bindings' variants for dropped results (OnDropped)
	exportCache       []goja.Value                                      // global values by index in globals, made on first use
}

// DefaultMaxCallStack is the deepest JavaScript call nesting a runtime allows
// unless TestState.MaxCallStack says otherwise: a deeper call (a runaway
// recursion) fails with "RangeError: Maximum call stack size exceeded", where
// without a limit the stack would grow until the process runs out of memory. It
// also bounds Go's own stack, which grows with each call that crosses from Go into
// JavaScript and back (a getter, a callback of Array.prototype.map, toJSON).
//
// It is half of Node's usual depth: goja unwinds an overflow that crossed into Go
// at every level in time quadratic in the depth (about 2 s at 5000 levels of
// getters), while a plain JavaScript recursion fails in milliseconds.
const DefaultMaxCallStack = 5000

// newRuntime builds a runtime for vu with the globals and built-in modules installed.
func newRuntime(vu *VU, prog *Program, name string, store *dict.Store) *scriptRuntime {
	r := &scriptRuntime{vu: vu, prog: prog, rt: goja.New(), name: name, ctx: context.Background(), dict: store, tags: vu.tags}
	r.loop.init()
	if name != "" {
		r.tags = r.tags.With("script", name)
	}
	r.rt.SetFieldNameMapper(goja.TagFieldNameMapper("js", true))
	r.rt.SetMaxCallStackSize(cmp.Or(vu.test.MaxCallStack, DefaultMaxCallStack))
	r.rt.SetPromiseRejectionTracker(r.trackRejection)
	r.installGlobals()
	r.installStringify()
	return r
}

// bind makes ctx the context of the code about to run: its cancellation interrupts
// the runtime wherever it is, including a tight loop.
func (r *scriptRuntime) bind(ctx context.Context) {
	if ctx == r.ctx {
		return
	}
	r.unbind()
	r.ctx = ctx
	if ctx.Done() == nil {
		return
	}
	done := make(chan struct{})
	r.intrDone = done
	rt := r.rt
	r.stopIntr = context.AfterFunc(ctx, func() {
		rt.Interrupt(context.Cause(ctx))
		close(done)
	})
}

// unbind detaches the current context; if it already interrupted the runtime, the
// interrupt is cleared so the runtime can run again under another context.
func (r *scriptRuntime) unbind() {
	if r.stopIntr != nil && !r.stopIntr() {
		<-r.intrDone
		r.rt.ClearInterrupt()
	}
	r.stopIntr = nil
	r.ctx = context.Background()
}

// call runs fn(args) under ctx and waits on the event loop until the promise it
// returns (if any) settles and no timer or operation it started is pending.
func (r *scriptRuntime) call(ctx context.Context, fn goja.Callable, args ...goja.Value) (goja.Value, error) {
	r.bind(ctx)
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	v, err := fn(goja.Undefined(), args...)
	if err == nil {
		err = r.settle(ctx, v)
	}
	if err != nil {
		err = r.cleanup(ctx, err)
		r.checkStack(err)
	}
	if len(r.scoped) > 0 { // the creating function has returned: stop: 'script'
		list := r.scoped
		r.scoped = nil
		stopAll(list, errCreatorReturned)
	}
	r.endCall()
	return v, err
}

// endCall runs the functions OnCallEnd registered, in order.
func (r *scriptRuntime) endCall() {
	for len(r.atCallEnd) > 0 {
		fns := r.atCallEnd
		r.atCallEnd = nil
		for _, fn := range fns {
			fn()
		}
	}
}

// settle runs the event loop for the value a call returned.
func (r *scriptRuntime) settle(ctx context.Context, v goja.Value) error {
	p, isPromise := v.Export().(*goja.Promise)
	if !isPromise && r.loop.pending == 0 && len(r.unhandled) == 0 {
		return nil // the common case: a plain synchronous function
	}
	err := r.loop.run(ctx, func() bool { return !isPromise || p.State() != goja.PromiseStatePending })
	if err != nil {
		return err
	}
	if isPromise && p.State() == goja.PromiseStateRejected {
		delete(r.unhandled, p)
		return rejectionError(p.Result())
	}
	for p := range r.unhandled {
		delete(r.unhandled, p)
		return rejectionError(p.Result())
	}
	return nil
}

// cleanup turns a failed call's error into what the caller should see and leaves the
// runtime ready for the next call: interrupts become their cause, exceptions become
// ScriptErrors, and work left on the event loop is dropped.
func (r *scriptRuntime) cleanup(ctx context.Context, err error) error {
	r.loop.reset()
	clear(r.unhandled)
	var intr *goja.InterruptedError
	if errors.As(err, &intr) {
		if cause, ok := intr.Value().(error); ok {
			err = cause
		} else {
			err = fmt.Errorf("interrupted: %v", intr.Value())
		}
	} else if ctx.Err() != nil && errors.Is(err, context.Cause(ctx)) {
		return err
	}
	return r.scriptError(err)
}

// checkStack marks the runtime broken when the call that failed with err was a
// stack overflow that left frames on goja's call stack (one inside an async
// function does): every later call would start that deep.
func (r *scriptRuntime) checkStack(err error) {
	var se *ScriptError
	if errors.As(err, &se) && se.Msg == stackOverflowMsg && len(r.rt.CaptureCallStack(0, nil)) > 0 {
		r.broken = true
	}
}

func (r *scriptRuntime) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	if r.unhandled == nil {
		r.unhandled = map[*goja.Promise]struct{}{}
	}
	if op == goja.PromiseRejectionReject {
		r.unhandled[p] = struct{}{}
	} else {
		delete(r.unhandled, p)
	}
}

func rejectionError(v goja.Value) error {
	if obj, ok := v.(*goja.Object); ok {
		if stack := obj.Get("stack"); stack != nil && !goja.IsUndefined(stack) {
			return &ScriptError{Msg: firstLine(stack.String()), Location: stackLocation(stack.String())}
		}
	}
	return &ScriptError{Msg: "Uncaught (in promise) " + v.String()}
}

// getExport reads obj[name] from Go. Reading an ES module's export runs a getter, and
// JavaScript run outside a call can panic: with an exception (returned as an error),
// or with an interrupt when the runtime's context is cancelled meanwhile (returned
// as its cause). Nothing panics past it.
func (r *scriptRuntime) getExport(obj *goja.Object, name string) (v goja.Value, err error) {
	defer func() {
		if x := recover(); x != nil {
			ie, ok := x.(*goja.InterruptedError)
			if !ok {
				panic(x)
			}
			err = ie
			if cause, isErr := ie.Value().(error); isErr {
				err = cause
			}
		}
	}()
	if ex := r.rt.Try(func() { v = obj.Get(name) }); ex != nil {
		return nil, r.scriptError(ex)
	}
	return v, nil
}

// close releases the runtime: what OnCallEnd registered outside a call runs, pending
// timers are stopped and the context detached.
func (r *scriptRuntime) close() {
	r.endCall()
	r.loop.reset()
	r.unbind()
}

// dir is the folder of the script file currently executing: that of the
// innermost frame of a file (a native function's frame, such as the binding
// asking, has none; an in-memory library is no folder), for paths given relative
// to the calling script.
func (r *scriptRuntime) dir() string {
	for _, f := range r.rt.CaptureCallStack(16, nil) {
		name := f.Position().Filename
		if _, inMemory := r.prog.sources[name]; name != "" && !inMemory {
			return filepath.Dir(name)
		}
	}
	return filepath.Dir(r.prog.Main.Path)
}
