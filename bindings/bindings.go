// Package bindings holds what every JavaScript API family of jsload shares: the
// Host interface a binding sees of the runtime it is installed in, and the helpers
// that turn Go errors into JavaScript exceptions.
//
// Each API family lives in its own subpackage (vu, dictapi, background, ...) and
// declares its names as a table of Exports. A runtime publishes the tables both as
// the `jsload` module and as globals, and builds each value only when a script first
// uses the name, so a VU pays only for the calls its scripts make.
package bindings

import (
	"context"
	"errors"
	"time"

	"github.com/dop251/goja"
)

// Host is what a binding sees of the jsload runtime it is installed in: one goja
// runtime, used by one goroutine for its whole life. Every method is called on that
// goroutine, except where its doc says otherwise.
type Host interface {
	// Goja returns the runtime the binding is installed in.
	Goja() *goja.Runtime
	// Context is cancelled when the code running now must stop (iteration
	// interrupted, VU stopped, test aborted). Blocking calls select on it.
	Context() context.Context
	// VU describes the virtual user this runtime belongs to.
	VU() *VUInfo
	// Log writes one console line prefixed with the VU id (and script id).
	Log(level, msg string)
	// Checks records the outcome of one named check.
	Check(name string, ok bool)
	// ThinkTime scales a sleep or pause by the run's think-time factor.
	ThinkTime(d time.Duration) time.Duration
	// Abort ends the whole test at once with msg (abortTest).
	Abort(msg string)
}

// Export is one name of the VU API. New builds its value (a Go function, or a
// goja.Value) for one runtime, on first use; the result is cached per runtime.
type Export struct {
	Name string
	New  func(h Host) any
}

// Throw panics with a JavaScript exception made from err; goja turns the panic into
// a thrown Error in the calling script. Use it only inside a binding called from JS.
func Throw(rt *goja.Runtime, err error) {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		panic(ex)
	}
	panic(rt.NewGoError(err))
}

// ThrowTyped throws a new JavaScript error whose name is name (e.g. "TimeoutError")
// and whose message is err's message, so scripts can test `e.name`.
func ThrowTyped(rt *goja.Runtime, name string, err error) {
	obj := rt.NewGoError(err)
	_ = obj.Set("name", name)
	panic(obj)
}
