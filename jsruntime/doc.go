// Package jsruntime runs jsload's JavaScript: it loads and compiles scripts once,
// builds the goja runtimes of virtual users (VUs) and their background scripts,
// and runs their functions. Only this package and bindings import goja.
//
// # Life cycle
//
//	prog, err := jsruntime.Load(path, jsruntime.BuiltinModules()) // once per run (and per reload)
//	test := &jsruntime.TestState{Program: prog, Metrics: reg}      // once per run
//	vu, err := jsruntime.NewVU(ctx, test, info, store)             // on the VU's goroutine
//	err = vu.Init(ctx, jsruntime.FuncVUInit)                       // vuInit (vu.Run for the other hooks)
//	err = vu.Iterate(ctx, exec, iteration, inGroup)                // each iteration
//	vu.EndBrowser(reset)                                            // after each, for a new browser each iteration
//	vu.StopBackground()                                            // the VU's end, before vuEnd
//	vu.Close()
//
// Load (loader.go) reads, transforms (ES modules and TypeScript to CommonJS, with
// esbuild and a source map) and compiles the main script and every local module
// it imports into a Program. A Program is read-only and shared by every runtime of
// every VU: nothing is parsed per VU. Files loaded later (background scripts given
// by path, computed requires) are compiled into the same Program, once.
//
// TestState (teststate.go) is what the VUs of a run share: the program and its
// hot-reload generations, setup() data, the metric registry, the console, and the
// scheduler's hooks. NewVU (vu.go) builds a VU: a runtime with the VU API
// installed, in which the main module's top level has run. The API is published
// as globals and as the `jsload` module (globals.go), each value built on first
// use; `jsload/http`, `jsload/metrics` and `jsload/data` are built on first
// require (modules.go). Run calls a life-cycle export, Iterate one iteration;
// both return once the function has settled: its promise, its timers, and the
// asynchronous operations it started. setup() data and options cross runtimes
// as JSON (json.go).
//
// # One runtime, one goroutine
//
// A goja runtime is not safe for concurrent use. Each runtime (scriptRuntime,
// runtime.go) is used by exactly one goroutine for its whole life: a VU's methods
// are called on the goroutine that built it, and each background script's runtime
// is built and run on a goroutine of its own. Work that finishes elsewhere (a
// timer, an HTTP request in flight) re-enters its runtime through the runtime's
// event loop (eventloop.go). What runtimes share (the VU's dictionary, data rows,
// metric sink and VU-local values; the test-wide values of TestState) is plain Go
// safe for concurrent use; no goja value crosses runtimes. A runtime is the
// bindings.Host its bindings see (host.go).
//
// # Interrupts
//
// Every call runs under a context, bound to the runtime for the call: cancelling
// it interrupts the runtime wherever it is, even in a tight loop (goja's
// Interrupt, the only call made on a runtime from another goroutine), and the call
// returns context.Cause. Blocking bindings (sleep, waits, HTTP) select on the same
// context. After an interrupt the runtime is cleared and can run again.
//
// # Event-loop generations
//
// When a call fails or is interrupted, the timers and callbacks it left are
// dropped: its event loop starts a new generation, and callbacks of an older one
// are ignored when they arrive, so an interrupted iteration cannot run code in
// the next. (Not to be confused with hot-reload generations, below.) A binding
// whose work would outlive such a failure (a socket reading on for dropped
// callbacks) registers its end with bindings.Host.OnCallEnd, which runs when the
// call ends, however it ends.
//
// # Background scripts
//
// createBackgroundScript gives a VU another runtime on a goroutine of its own
// (background.go, bgregistry.go), which shares the VU's identity, metric sink and
// VU-local values and, by its dictionary mode, its creator's dictionary. The VU
// owns these goroutines: Close waits for them. A script stops when asked, or when
// its stop scope ends, each trigger with a cancellation cause of its own: the
// status and stop-scope tables are in background.go.
//
// # The browser
//
// What a browser keeps between iterations (cookies, kept-alive connections,
// vuInit's background scripts) lasts as long as the VU, unless its group
// emulates a new browser each iteration: the scheduler then calls EndBrowser
// after each iteration, which halts vuInit's stop: 'vu' scripts, and the next
// Iterate calls the functions bindings subscribed with Host.OnNewBrowser (the
// HTTP binding empties the VU's cookie jar and closes its idle connections).
// The moments and what a still-running background script sees are in
// browser.go.
//
// # Hot reload
//
// TestState.Swap makes a new Program the next hot-reload generation (reload.go).
// Each VU moves to it at its next iteration boundary: its background scripts
// stop, a new main runtime evaluates the new program (vuInit runs again only if
// it changed), the old runtime is closed, and the dictionary and data rows stay.
// A generation that fails to evaluate leaves the VU on the one it ran.
// OnGenerationLive reports when every live VU runs the new generation.
//
// # Adding an API family
//
// A family is a subpackage of bindings with a table of bindings.Export (one
// entry per name); list the table in apiFamilies (globals.go) for names that are
// both globals and exports of `jsload`, in runtimeGlobals (globals.go) for
// globals only (the web platform's), or, for a module of its own, add it to
// builtinModules (modules.go). Its JavaScript tests are
// scripts under its testdata/, run with jsruntime/jstest. README.md and
// types/jsload.d.ts document it for users (tests/ checks the declarations).
package jsruntime
