package jsruntime

import (
	"context"
	"fmt"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/metrics"
)

// Goja implements bindings.Host.
func (r *scriptRuntime) Goja() *goja.Runtime { return r.rt }

// Context implements bindings.Host.
func (r *scriptRuntime) Context() context.Context { return r.ctx }

// WaitContext implements bindings.Host.
func (r *scriptRuntime) WaitContext() context.Context {
	if r.bg != nil && r.ctx == r.bg.ctx {
		return r.bg.waitCtx
	}
	return r.ctx
}

// VU implements bindings.Host.
func (r *scriptRuntime) VU() *bindings.VUInfo { return r.vu.Info }

// Log implements bindings.Host.
func (r *scriptRuntime) Log(level, msg string) { r.vu.test.console(r.vu.Info.ID, r.name, level, msg) }

// DataFeed implements bindings.Host.
func (r *scriptRuntime) DataFeed() *dict.Feed { return r.vu.Feed }

// Dict implements bindings.Host.
func (r *scriptRuntime) Dict() *dict.Store { return r.dict }

// Check implements bindings.Host.
func (r *scriptRuntime) Check(name string, ok bool) { r.vu.sink.Check(r.tags, name, ok) }

// Metrics implements bindings.Host.
func (r *scriptRuntime) Metrics() *metrics.Sink { return r.vu.sink }

// Registry implements bindings.Host.
func (r *scriptRuntime) Registry() *metrics.Registry { return r.vu.test.Metrics }

// Tags implements bindings.Host.
func (r *scriptRuntime) Tags() metrics.Tags { return r.tags }

// SetTags implements bindings.Host.
func (r *scriptRuntime) SetTags(t metrics.Tags) { r.tags = t }

// InitContext implements bindings.Host.
func (r *scriptRuntime) InitContext() bool { return r.evaluating > 0 }

// VULocal implements bindings.Host.
func (r *scriptRuntime) VULocal(key any, create func() any) any { return r.vu.locals.get(key, create) }

// OnNewBrowser implements bindings.Host.
func (r *scriptRuntime) OnNewBrowser(fn func(bindings.BrowserReset)) { r.vu.browser.subscribe(fn) }

// ThinkTime implements bindings.Host.
func (r *scriptRuntime) ThinkTime(d time.Duration) time.Duration {
	return time.Duration(float64(d) * r.vu.test.ThinkTimeFactor)
}

// TestOptions implements bindings.Host.
func (r *scriptRuntime) TestOptions() *bindings.TestOptions { return &r.vu.test.TestOptions }

// Abort implements bindings.Host.
func (r *scriptRuntime) Abort(msg string) {
	if r.vu.test.Abort != nil {
		r.vu.test.Abort(msg)
	}
	r.rt.Interrupt(&AbortError{Msg: msg})
}

// Warn implements bindings.Host.
func (r *scriptRuntime) Warn(err error) {
	what := fmt.Sprintf("VU %d", r.vu.Info.ID)
	if r.name != "" {
		what += fmt.Sprintf(", background script %q", r.name)
	}
	loc, _ := r.locate(r.rt.CaptureCallStack(8, nil))
	r.vu.test.reportError(what, &ScriptError{Msg: err.Error(), Location: loc})
}

// TestLocal implements bindings.Host.
func (r *scriptRuntime) TestLocal(key any, create func() any) any {
	return r.vu.test.locals.get(key, create)
}

// RunningVUs implements bindings.Host.
func (r *scriptRuntime) RunningVUs(group string) int64 {
	if r.vu.test.RunningVUs == nil {
		return 0
	}
	return r.vu.test.RunningVUs(group)
}

// Background implements bindings.Host.
func (r *scriptRuntime) Background() bindings.Background { return bgControl{r} }

// ScriptID implements bindings.Host.
func (r *scriptRuntime) ScriptID() string { return r.name }

// StopRequested implements bindings.Host.
func (r *scriptRuntime) StopRequested() bool { return r.bg != nil && r.bg.stopReq.Load() }

// StopRequests implements bindings.Host.
func (r *scriptRuntime) StopRequests() context.Context {
	if r.bg == nil {
		return nil
	}
	return r.bg.waitCtx
}

// OnCallEnd implements bindings.Host.
func (r *scriptRuntime) OnCallEnd(fn func()) { r.atCallEnd = append(r.atCallEnd, fn) }

// Dir implements bindings.Host.
func (r *scriptRuntime) Dir() string { return r.dir() }

// Reserve implements bindings.Host: it registers an operation finishing on another
// goroutine; the returned function re-enters this runtime through its event loop.
func (r *scriptRuntime) Reserve() func(cb func() error) { return r.loop.Reserve() }
