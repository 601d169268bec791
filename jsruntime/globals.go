package jsruntime

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/background"
	"github.com/jsload/jsload/bindings/dictapi"
	k6bind "github.com/jsload/jsload/bindings/k6"
	"github.com/jsload/jsload/bindings/metricsapi"
	"github.com/jsload/jsload/bindings/rendezvous"
	"github.com/jsload/jsload/bindings/syncpoint"
	"github.com/jsload/jsload/bindings/testwide"
	vubind "github.com/jsload/jsload/bindings/vu"
	"github.com/jsload/jsload/bindings/webapi"
	"github.com/jsload/jsload/bindings/webcrypto"
)

// apiFamilies is the VU API (README: "The `jsload` module" and the sections after
// it): each family's exports, published both as the `jsload` module and as globals.
var apiFamilies = [][]bindings.Export{
	vubind.Exports,
	dictapi.Exports,
	background.Exports,
	syncpoint.Exports,
	metricsapi.Exports,
	rendezvous.Exports,
	testwide.Exports,
}

// runtimeGlobals are globals that are not part of the `jsload` module: jsload's own
// and the web platform's (URL, TextEncoder, crypto, ...).
var runtimeGlobals = slices.Concat(webapi.Exports, webcrypto.Exports, k6bind.Globals, []bindings.Export{
	{Name: "console", New: func(h bindings.Host) any { return h.(*scriptRuntime).console() }},
	{Name: "__ENV", New: func(h bindings.Host) any {
		r := h.(*scriptRuntime)
		return r.rt.NewDynamicObject(envObject{rt: r.rt, m: r.vu.Info.Env})
	}},
	{Name: "setTimeout", New: func(h bindings.Host) any { return h.(*scriptRuntime).timerFunc(false) }},
	{Name: "setInterval", New: func(h bindings.Host) any { return h.(*scriptRuntime).timerFunc(true) }},
	{Name: "clearTimeout", New: func(h bindings.Host) any { return h.(*scriptRuntime).clearTimerFunc() }},
	{Name: "clearInterval", New: func(h bindings.Host) any { return h.(*scriptRuntime).clearTimerFunc() }},
	{Name: "performance", New: func(h bindings.Host) any {
		obj := h.Goja().NewObject()
		_ = obj.Set("now", performanceNow)
		return obj
	}},
})

// processStart is the origin of performance.now(), the same for every runtime, so
// times taken in a background script and in its VU's main script compare.
var processStart = time.Now()

// performanceNow returns the milliseconds since processStart, with sub-microsecond
// resolution (Date.now() has whole milliseconds).
func performanceNow() float64 { return float64(time.Since(processStart).Nanoseconds()) / 1e6 }

// exportTable indexes every global name; the `jsload` module is the subset inAPI.
type exportTable struct {
	exports []bindings.Export
	index   map[string]int
	inAPI   []bool
	apiKeys []string
	allKeys []string
}

var globals = newExportTable()

func newExportTable() *exportTable {
	t := &exportTable{index: map[string]int{}}
	add := func(e bindings.Export, api bool) {
		if _, dup := t.index[e.Name]; dup {
			panic(fmt.Sprintf("jsruntime: global %q is declared twice", e.Name))
		}
		t.index[e.Name] = len(t.exports)
		t.exports = append(t.exports, e)
		t.inAPI = append(t.inAPI, api)
		t.allKeys = append(t.allKeys, e.Name)
		if api {
			t.apiKeys = append(t.apiKeys, e.Name)
		}
	}
	for _, fam := range apiFamilies {
		for _, e := range fam {
			add(e, true)
		}
	}
	for _, e := range runtimeGlobals {
		add(e, false)
	}
	sort.Strings(t.apiKeys)
	sort.Strings(t.allKeys)
	return t
}

// GlobalNames returns every global jsload defines in a runtime, sorted (for the type
// declarations' test).
func GlobalNames() []string { return append([]string(nil), globals.allKeys...) }

// APINames returns the names the `jsload` module exports (also globals), sorted.
func APINames() []string { return append([]string(nil), globals.apiKeys...) }

// lazyExports is a read-only object whose properties are built on first access and
// cached in the runtime. Set as the prototype of the global object, it makes every
// API name a global without creating any function until a script uses it; apiOnly
// restricts it to the `jsload` module's names.
type lazyExports struct {
	r       *scriptRuntime
	apiOnly bool
}

func (o *lazyExports) Get(key string) goja.Value {
	i, ok := globals.index[key]
	if !ok || (o.apiOnly && !globals.inAPI[i]) {
		return nil
	}
	return o.r.export(i)
}

func (o *lazyExports) Has(key string) bool {
	i, ok := globals.index[key]
	return ok && (!o.apiOnly || globals.inAPI[i])
}

func (o *lazyExports) Set(string, goja.Value) bool { return false }
func (o *lazyExports) Delete(string) bool          { return false }

func (o *lazyExports) Keys() []string {
	if o.apiOnly {
		return globals.apiKeys
	}
	return globals.allKeys
}

// export returns the value of global number i for this runtime, building it once.
func (r *scriptRuntime) export(i int) goja.Value {
	if r.exportCache == nil {
		r.exportCache = make([]goja.Value, len(globals.exports))
	}
	if v := r.exportCache[i]; v != nil {
		return v
	}
	if e := &globals.exports[i]; e.Live {
		return r.rt.ToValue(e.New(r))
	}
	v := r.rt.ToValue(globals.exports[i].New(r))
	r.exportCache[i] = v
	return v
}

// installGlobals makes the VU API, console, timers and __ENV reachable as globals
// through the prototype of the global object, and builds the `jsload` module object.
func (r *scriptRuntime) installGlobals() {
	rt := r.rt
	r.api = rt.NewDynamicObject(&lazyExports{r: r, apiOnly: true})
	if err := rt.GlobalObject().SetPrototype(rt.NewDynamicObject(&lazyExports{r: r})); err != nil {
		panic(fmt.Sprintf("jsruntime: install globals: %v", err))
	}
}

func (r *scriptRuntime) clearTimerFunc() func(int64) {
	return func(id int64) { r.loop.clearTimer(id) }
}

// durationMS converts a JavaScript number of milliseconds to a duration.
func durationMS(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func (r *scriptRuntime) timerFunc(interval bool) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			bindings.Throw(r.rt, fmt.Errorf("setTimeout/setInterval needs a function as its first argument, got %s", call.Argument(0)))
		}
		ms := call.Argument(1).ToFloat()
		if ms != ms || ms < 0 { // NaN or negative: run as soon as possible
			ms = 0
		}
		var args []goja.Value
		if len(call.Arguments) > 2 {
			args = append(args, call.Arguments[2:]...)
		}
		id := r.loop.setTimer(fn, durationMS(ms), interval, args)
		return r.rt.ToValue(id)
	}
}

func (r *scriptRuntime) console() *goja.Object {
	c := r.rt.NewObject()
	for _, level := range []string{"log", "info", "warn", "error", "debug"} {
		lvl := level
		_ = c.Set(level, func(call goja.FunctionCall) goja.Value {
			r.Log(lvl, formatArgs(call.Arguments))
			return goja.Undefined()
		})
	}
	return c
}

// formatArgs renders console arguments: strings as they are, plain objects and
// arrays as JSON, errors and everything else through String(). A value JSON cannot
// show (a cycle, a function inside, too deep) is shown by its kind: String() of a
// deeply nested array would recurse in Go without limit.
func formatArgs(args []goja.Value) string {
	parts := make([]string, len(args))
	for i, a := range args {
		obj, ok := a.(*goja.Object)
		if !ok || obj.ClassName() == "Error" || obj.ClassName() == "Function" {
			parts[i] = a.String()
			continue
		}
		v, err := bindings.FromJS(obj)
		var b []byte
		if err == nil {
			b, err = json.Marshal(v)
		}
		switch {
		case err == nil:
			parts[i] = string(b)
		case obj.ClassName() == "Array":
			parts[i] = fmt.Sprintf("[Array(%d)]", obj.Get("length").ToInteger())
		default:
			parts[i] = a.String()
		}
	}
	return strings.Join(parts, " ")
}

// envObject is __ENV: a read-only view of the VU's environment map, which all
// runtimes share, so no script can change what another reads.
type envObject struct {
	rt *goja.Runtime
	m  map[string]string
}

func (e envObject) Get(key string) goja.Value {
	if v, ok := e.m[key]; ok {
		return e.rt.ToValue(v)
	}
	return nil
}
func (e envObject) Set(string, goja.Value) bool { return false }
func (e envObject) Has(key string) bool         { _, ok := e.m[key]; return ok }
func (e envObject) Delete(string) bool          { return false }
func (e envObject) Keys() []string {
	keys := make([]string, 0, len(e.m))
	for k := range e.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
