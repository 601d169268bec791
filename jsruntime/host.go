package jsruntime

import (
	"context"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/metrics"
)

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
