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

	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/metrics"
)

// Host is what a binding sees of the jsload runtime it is installed in: one goja
// runtime, used by one goroutine for its whole life. Every method is called on that
// goroutine, except where its doc says otherwise.
type Host interface {
	// Goja returns the runtime the binding is installed in.
	Goja() *goja.Runtime
	// Context is cancelled when the code running now must stop (iteration
	// interrupted, VU stopped, test aborted).
	Context() context.Context
	// WaitContext is Context, also cancelled (with ErrStopRequested) once a
	// stop was requested of the background script this runtime runs: blocking
	// waits (sleep, dictionary and synchronisation waits, shared.pop,
	// rendezvous, waiting for a background script) select on it, so a stop
	// request ends them at once rather than after the script's stopTimeout.
	WaitContext() context.Context
	// VU describes the virtual user this runtime belongs to.
	VU() *VUInfo
	// Log writes one console line prefixed with the VU id (and script id).
	Log(level, msg string)
	// Check records the outcome of one named check.
	Check(name string, ok bool)
	// Metrics is the VU's metric sink, shared by all its runtimes (safe for
	// concurrent use); Builtins gives the built-in metrics without lookups.
	Metrics() *metrics.Sink
	// Registry is the test's metric registry, for custom metrics.
	Registry() *metrics.Registry
	// Tags are the tags every sample of this runtime carries (group, and
	// script=<id> in a background script).
	Tags() metrics.Tags
	// SetTags replaces the tags of this runtime's samples from now on (k6's
	// group() and vu.tags): later requests, checks and custom metrics carry
	// them.
	SetTags(t metrics.Tags)
	// InitContext reports whether the runtime is running a module's top level
	// (k6's init context, where open() and SharedArray belong).
	InitContext() bool
	// VULocal returns the value stored under key for this VU, shared by all its
	// runtimes, creating it with create on first use (e.g. the VU's cookie jar and
	// HTTP transport). Safe for concurrent use; create runs at most once per key.
	VULocal(key any, create func() any) any
	// OnNewBrowser subscribes fn to the VU's new browsers: when the VU's group
	// emulates a new browser each iteration (newBrowserEachIteration), fn runs
	// before each of the VU's iterations but its first, so that what a browser
	// keeps (cookies, kept-alive connections) does not outlive its iteration. fn
	// runs on the VU's goroutine while its main runtime runs nothing (its
	// background scripts may be running: fn must be safe with them) and must
	// not block. Subscribe once per VU, where the state fn resets is made (in
	// VULocal's create), not once per runtime. Safe from any runtime of the VU.
	// fn is told what the new browser keeps of the old one.
	OnNewBrowser(fn func(BrowserReset))
	// TestLocal returns the test-wide value under key, shared by every runtime of
	// every VU, creating it with create on first use. Safe for concurrent use.
	TestLocal(key any, create func() any) any
	// RunningVUs is the number of VUs running now in the test, or in the named
	// group when group is not ""; -1 when the test has no group of that name.
	RunningVUs(group string) int64
	// Reserve registers an operation that will finish on another goroutine and
	// returns the function that hands its result back: calling it (once, from any
	// goroutine) runs cb on this runtime's goroutine, through its event loop. The
	// iteration does not end while a reserved operation is pending.
	Reserve() func(cb func() error)
	// OnCallEnd registers fn to run on this runtime's goroutine when the call
	// running now ends, however it ends (settled, threw, interrupted), before the
	// call returns; or when the runtime closes, if no call is running. It is for
	// what must not outlive the call that made it, such as a socket whose
	// callbacks the call's event loop would drop after a failure. fn must not
	// run JavaScript: the runtime may be interrupted.
	OnCallEnd(fn func())
	// Background controls the VU's background scripts, with this runtime as the
	// creator of those it creates.
	Background() Background
	// ScriptID is the id of the background script this runtime runs ("" in the
	// VU's main runtime); StopRequested reports whether it was asked to stop.
	ScriptID() string
	// TestOptions are the test-wide settings of the script's options that
	// bindings read (see TestOptions); never nil, never modified.
	TestOptions() *TestOptions
	StopRequested() bool
	// StopRequests is done when the background script this runtime runs is
	// asked to stop (when StopRequested turns true) or ends (it is the
	// script's WaitContext): context.AfterFunc on it
	// reacts to a stop request without a goroutine. It is nil in a VU's main
	// runtime. Safe to use from any goroutine.
	StopRequests() context.Context
	// Dir is the folder of the script file running now, for relative paths.
	Dir() string
	// ThinkTime scales a sleep or pause by the run's think-time factor.
	ThinkTime(d time.Duration) time.Duration
	// Abort ends the whole test at once with msg (abortTest).
	Abort(msg string)
	// Warn reports a problem that does not fail the running code (a metric
	// sample dropped): it is located at the calling script's file:line:col,
	// logged once per distinct message and counted in the run's errors.
	Warn(err error)
	// DataFeed is the VU's view of the run's data bindings, nil without any.
	DataFeed() *dict.Feed
	// Dict is the data dictionary this runtime reads and writes: its VU's, or a
	// background script's copy or overlay of it.
	Dict() *dict.Store
}

// DroppedCalls is implemented by a Host whose loader marks the calls whose
// result a statement drops (`http.get(url);`, the call alone) on the built-in
// modules a file imports: such a call goes through the object a binding
// returns for its function, so that the binding can make the same call
// knowing that nothing reads its result (jsruntime/dropped.go).
type DroppedCalls interface {
	// OnDropped registers variant, which returns, when fn is the binding's
	// function of the given name (as exported), the object whose property of
	// that name is the function the dropped calls of fn call, and nil for any
	// other function or name. That function must behave as fn does, but for
	// what only its result shows.
	OnDropped(variant func(fn *goja.Object, name string) *goja.Object)
}

// BrowserReset says what a VU's new browser keeps of the old one (see
// Host.OnNewBrowser). The zero value keeps nothing: jsload's
// newBrowserEachIteration. k6's scripts get k6's resets (its noCookiesReset
// and noVUConnectionReuse options), which keep one or the other.
type BrowserReset struct {
	// KeepCookies keeps the VU's cookie jar: only the connections are new
	// (k6's noCookiesReset and noVUConnectionReuse both true).
	KeepCookies bool
	// KeepConnections keeps the VU's idle connections for the next iteration:
	// only the cookie jar is new (k6's default).
	KeepConnections bool
}

// ErrStopRequested is the cause of a background script's WaitContext once a stop
// was requested of it: a sleep returns early, a wait interrupts the script.
var ErrStopRequested = errors.New("a stop was requested of the background script while it waited")

// Export is one name of the VU API. New builds its value (a Go function, or a
// goja.Value) for one runtime, on first use; the result is cached per runtime,
// unless Live, for a value that changes (__ITER): New then runs on every read.
type Export struct {
	Name string
	New  func(h Host) any
	Live bool
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
