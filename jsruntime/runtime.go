package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/metrics"
)

// Runtime is one goja runtime of a VU with its event loop. It is used by exactly one
// goroutine for its whole life; Interrupt (through the bound context) is the only
// call made on it from elsewhere. A VU has one main Runtime; each background script
// gets a Runtime of its own.
type Runtime struct {
	vu   *VU
	prog *Program // the generation this runtime runs
	rt   *goja.Runtime
	loop *eventLoop
	name string      // "" for the main runtime, the background script id otherwise
	dict *dict.Store // the VU's dictionary, or a background script's copy/overlay
	tags metrics.Tags

	ctx      context.Context
	stopIntr func() bool
	intrDone chan struct{}

	api     *goja.Object            // the `jsload` module, also published as globals
	modules map[string]*goja.Object // module.exports by absolute path or built-in name

	unhandled map[*goja.Promise]struct{} // rejected promises nobody handled yet

	bg     *bgScript   // the background script this runtime runs, nil for the main one
	scoped []*bgScript // scripts with stop: 'script' created during the current call

	exportFn, toCJSFn goja.Value   // native esbuild helpers, made on first use
	exportCache       []goja.Value // global values by index in globals, made on first use
}

// newRuntime builds a runtime for vu with the globals and built-in modules installed.
func newRuntime(vu *VU, prog *Program, name string, store *dict.Store) *Runtime {
	r := &Runtime{vu: vu, prog: prog, rt: goja.New(), loop: newEventLoop(), name: name, ctx: context.Background(), dict: store, tags: vu.tags}
	if name != "" {
		r.tags = r.tags.With("script", name)
	}
	r.rt.SetFieldNameMapper(goja.TagFieldNameMapper("js", true))
	r.rt.SetPromiseRejectionTracker(r.trackRejection)
	r.installGlobals()
	return r
}

// Goja implements bindings.Host.
func (r *Runtime) Goja() *goja.Runtime { return r.rt }

// Context implements bindings.Host.
func (r *Runtime) Context() context.Context { return r.ctx }

// VU implements bindings.Host.
func (r *Runtime) VU() *bindings.VUInfo { return r.vu.Info }

// Log implements bindings.Host.
func (r *Runtime) Log(level, msg string) { r.vu.shared.console(r.vu.Info.ID, r.name, level, msg) }

// DataFeed implements bindings.Host.
func (r *Runtime) DataFeed() *dict.Feed { return r.vu.Feed }

// Dict implements bindings.Host.
func (r *Runtime) Dict() *dict.Store { return r.dict }

// Check implements bindings.Host.
func (r *Runtime) Check(name string, ok bool) { r.vu.sink.Check(r.tags, name, ok) }

// Metrics implements bindings.Host.
func (r *Runtime) Metrics() *metrics.Sink { return r.vu.sink }

// Registry implements bindings.Host.
func (r *Runtime) Registry() *metrics.Registry { return r.vu.shared.Metrics }

// Tags implements bindings.Host.
func (r *Runtime) Tags() metrics.Tags { return r.tags }

// VULocal implements bindings.Host.
func (r *Runtime) VULocal(key any, create func() any) any { return r.vu.locals.get(key, create) }

// ThinkTime implements bindings.Host.
func (r *Runtime) ThinkTime(d time.Duration) time.Duration {
	return time.Duration(float64(d) * r.vu.shared.ThinkTimeFactor)
}

// TestOptions implements bindings.Host.
func (r *Runtime) TestOptions() *bindings.TestOptions { return &r.vu.shared.TestOptions }

// Abort implements bindings.Host.
func (r *Runtime) Abort(msg string) {
	if r.vu.shared.Abort != nil {
		r.vu.shared.Abort(msg)
	}
	r.rt.Interrupt(&AbortError{Msg: msg})
}

// TestLocal implements bindings.Host.
func (r *Runtime) TestLocal(key any, create func() any) any {
	return r.vu.shared.locals.get(key, create)
}

// RunningVUs implements bindings.Host.
func (r *Runtime) RunningVUs(group string) int64 {
	if r.vu.shared.RunningVUs == nil {
		return 0
	}
	return r.vu.shared.RunningVUs(group)
}

// Background implements bindings.Host.
func (r *Runtime) Background() bindings.Background { return r.vu.bg }

// ScriptID implements bindings.Host.
func (r *Runtime) ScriptID() string { return r.name }

// StopRequested implements bindings.Host.
func (r *Runtime) StopRequested() bool { return r.bg != nil && r.bg.stopReq.Load() }

// Dir implements bindings.Host.
func (r *Runtime) Dir() string { return r.dir() }

// Reserve implements bindings.Host: it registers an operation finishing on another
// goroutine; the returned function re-enters this runtime through its event loop.
func (r *Runtime) Reserve() func(cb func() error) { return r.loop.Reserve() }

// AbortError is the cause of an interrupt made by abortTest.
type AbortError struct{ Msg string }

// Error implements error.
func (e *AbortError) Error() string { return "test aborted: " + e.Msg }

// bind makes ctx the context of the code about to run: its cancellation interrupts
// the runtime wherever it is, including a tight loop.
func (r *Runtime) bind(ctx context.Context) {
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
func (r *Runtime) unbind() {
	if r.stopIntr != nil && !r.stopIntr() {
		<-r.intrDone
		r.rt.ClearInterrupt()
	}
	r.stopIntr = nil
	r.ctx = context.Background()
}

// call runs fn(args) under ctx and waits on the event loop until the promise it
// returns (if any) settles and no timer or operation it started is pending.
func (r *Runtime) call(ctx context.Context, fn goja.Callable, args ...goja.Value) (goja.Value, error) {
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
	}
	if len(r.scoped) > 0 { // the creating function has returned: stop: 'script'
		list := r.scoped
		r.scoped = nil
		stopAll(list, ErrVUEnded)
	}
	return v, err
}

// settle runs the event loop for the value a call returned.
func (r *Runtime) settle(ctx context.Context, v goja.Value) error {
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
func (r *Runtime) cleanup(ctx context.Context, err error) error {
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
	return scriptError(err)
}

func (r *Runtime) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
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
func (r *Runtime) getExport(obj *goja.Object, name string) (v goja.Value, err error) {
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
		return nil, scriptError(ex)
	}
	return v, nil
}

// close releases the runtime: pending timers are stopped and the context detached.
func (r *Runtime) close() {
	r.loop.reset()
	r.unbind()
}

// dir is the folder of the script file currently executing (the innermost user
// frame), for paths given relative to the calling script.
func (r *Runtime) dir() string {
	var frames [1]goja.StackFrame
	st := r.rt.CaptureCallStack(1, frames[:0])
	if len(st) > 0 {
		if name := st[0].Position().Filename; name != "" {
			return filepath.Dir(name)
		}
	}
	return filepath.Dir(r.prog.Main.Path)
}
