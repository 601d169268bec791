package jsruntime

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	databind "github.com/jsload/jsload/bindings/data"
	httpbind "github.com/jsload/jsload/bindings/http"
	k6bind "github.com/jsload/jsload/bindings/k6"
	k6crypto "github.com/jsload/jsload/bindings/k6/crypto"
	k6csv "github.com/jsload/jsload/bindings/k6/csv"
	k6data "github.com/jsload/jsload/bindings/k6/data"
	k6encoding "github.com/jsload/jsload/bindings/k6/encoding"
	k6exec "github.com/jsload/jsload/bindings/k6/execution"
	k6fs "github.com/jsload/jsload/bindings/k6/fs"
	k6html "github.com/jsload/jsload/bindings/k6/html"
	"github.com/jsload/jsload/bindings/k6/k6http"
	k6websockets "github.com/jsload/jsload/bindings/k6/websockets"
	k6ws "github.com/jsload/jsload/bindings/k6/ws"
	"github.com/jsload/jsload/bindings/metricsapi"
	ssebind "github.com/jsload/jsload/bindings/sse"
	wsbind "github.com/jsload/jsload/bindings/ws"
)

// builtinModules maps each built-in module name to the function that builds its
// exports for one runtime. Modules are instantiated lazily, on first require, so a
// runtime pays only for what its scripts import.
var builtinModules = map[string]func(r *scriptRuntime) *goja.Object{
	"jsload":         func(r *scriptRuntime) *goja.Object { return r.api },
	"jsload/http":    func(r *scriptRuntime) *goja.Object { return httpbind.Module(r) },
	"jsload/metrics": func(r *scriptRuntime) *goja.Object { return metricsapi.Module(r) },
	"jsload/data":    func(r *scriptRuntime) *goja.Object { return databind.Module(r) },
	"jsload/ws":      func(r *scriptRuntime) *goja.Object { return wsbind.Module(r) },
	"jsload/sse":     func(r *scriptRuntime) *goja.Object { return ssebind.Module(r) },

	// k6's modules, for k6 scripts (bindings/k6); k6/metrics is jsload/metrics.
	"k6":           func(r *scriptRuntime) *goja.Object { return k6bind.Module(r) },
	"k6/metrics":   func(r *scriptRuntime) *goja.Object { return metricsapi.Module(r) },
	"k6/encoding":  func(r *scriptRuntime) *goja.Object { return k6encoding.Module(r) },
	"k6/crypto":    func(r *scriptRuntime) *goja.Object { return k6crypto.Module(r) },
	"k6/data":      func(r *scriptRuntime) *goja.Object { return k6data.Module(r) },
	"k6/execution": func(r *scriptRuntime) *goja.Object { return k6exec.Module(r) },
	"k6/http":      func(r *scriptRuntime) *goja.Object { return k6http.Module(r) },
	"k6/html":      func(r *scriptRuntime) *goja.Object { return k6html.Module(r) },
	"k6/timers": func(r *scriptRuntime) *goja.Object {
		return k6bind.FromGlobals(r, "setTimeout", "clearTimeout", "setInterval", "clearInterval")
	},
	"k6/experimental/fs":  func(r *scriptRuntime) *goja.Object { return k6fs.Module(r) },
	"k6/experimental/csv": func(r *scriptRuntime) *goja.Object { return k6csv.Module(r) },
	"k6/experimental/timers": func(r *scriptRuntime) *goja.Object { // removed by k6, kept for older scripts
		return k6bind.FromGlobals(r, "setTimeout", "clearTimeout", "setInterval", "clearInterval")
	},
	"k6/experimental/webcrypto":  func(r *scriptRuntime) *goja.Object { return k6bind.FromGlobals(r, "crypto") },
	"k6/ws":                      func(r *scriptRuntime) *goja.Object { return k6ws.Module(r) },
	"k6/websockets":              func(r *scriptRuntime) *goja.Object { return k6websockets.Module(r) },
	"k6/experimental/websockets": func(r *scriptRuntime) *goja.Object { return k6websockets.Module(r) }, // its name before k6 1.0
}

// BuiltinModules returns the names a script can import without a path.
func BuiltinModules() []string {
	names := make([]string, 0, len(builtinModules))
	for n := range builtinModules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// require returns the module.exports of the file or built-in module spec, as
// imported from mod; each module is evaluated once per runtime.
func (r *scriptRuntime) require(mod *Module, spec string) (*goja.Object, error) {
	target, ok := mod.deps[spec]
	if !ok {
		// A require the loader could not see (a computed name): resolve it now; the
		// Program still compiles each file only once.
		site := &importSite{file: mod.Path, spec: spec, src: mod.source}
		t, err := r.prog.resolve(mod.Path, spec, site)
		if err != nil {
			return nil, err
		}
		target = t
	}
	if exp, ok := r.modules[target]; ok {
		return exp, nil
	}
	if module, ok := r.loading[target]; ok {
		// An import cycle: the module is being evaluated further up the stack.
		// As in Node, the importer gets its module.exports as it stands; for an
		// ES module that is already the object of every export (esbuild defines
		// them as getters before the first require), read live.
		return module.Get("exports").ToObject(r.rt), nil
	}
	if build, ok := builtinModules[target]; ok {
		exp := build(r)
		r.setModule(target, exp)
		return exp, nil
	}
	site := &importSite{file: mod.Path, spec: spec, src: mod.source}
	var m *Module
	var err error
	if ok {
		m, err = r.prog.file(target, site) // compiled with its importer, imports and all
	} else {
		m, err = r.prog.module(target, site)
	}
	if err != nil {
		return nil, err
	}
	return r.evaluate(m)
}

func (r *scriptRuntime) setModule(key string, exp *goja.Object) {
	if r.modules == nil {
		r.modules = map[string]*goja.Object{}
	}
	r.modules[key] = exp
}

// evaluate runs a module's top-level code in this runtime and returns its exports.
func (r *scriptRuntime) evaluate(m *Module) (*goja.Object, error) {
	rt := r.rt
	wrapper, err := rt.RunProgram(m.prog)
	if err != nil {
		return nil, r.scriptError(err)
	}
	fn, ok := goja.AssertFunction(wrapper)
	if !ok {
		return nil, fmt.Errorf("%s: module did not compile to a function", DisplayPath(m.Path))
	}
	exports := rt.NewObject()
	module := rt.NewObject()
	_ = module.Set("exports", exports)
	if r.loading == nil {
		r.loading = map[string]*goja.Object{}
	}
	r.loading[m.Path] = module // a cycle sees the partial exports, as in Node
	defer delete(r.loading, m.Path)
	req := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		exp, err := r.require(m, call.Argument(0).String())
		if err != nil {
			bindings.Throw(rt, err)
		}
		return exp
	})
	exportFn, toCJS := r.nativeHelpers()
	drop := goja.Undefined()
	if m.dropping {
		drop = r.dropFunc()
	}
	r.evaluating++ // the init context, until the top level returns
	_, err = fn(goja.Undefined(), exports, req, module, rt.ToValue(m.Path), rt.ToValue(filepath.Dir(m.Path)), exportFn, toCJS, drop)
	r.evaluating--
	if err != nil {
		return nil, r.scriptError(err)
	}
	exp := module.Get("exports").ToObject(rt)
	r.setModule(m.Path, exp)
	if m == r.prog.Main && r.prog.mainFuncs.Load() == nil {
		funcs := r.funcExports(exp)
		r.prog.mainFuncs.CompareAndSwap(nil, &funcs)
	}
	return exp, nil
}

// funcExports lists the names of the functions exp exports, sorted.
func (r *scriptRuntime) funcExports(exp *goja.Object) []string {
	names := []string{}
	for _, k := range exp.Keys() {
		if v, err := r.getExport(exp, k); err == nil {
			if _, ok := goja.AssertFunction(v); ok {
				names = append(names, k)
			}
		}
	}
	sort.Strings(names)
	return names
}

// nativeHelpers returns Go versions of esbuild's __export and __toCommonJS helpers
// (see blankHelpers), made once per runtime. __export defines each export as an
// enumerable getter, keeping ES module live bindings; __toCommonJS marks the exports
// object as an ES module and returns it as it is, instead of copying it.
func (r *scriptRuntime) nativeHelpers() (goja.Value, goja.Value) {
	if r.exportFn == nil {
		rt := r.rt
		r.exportFn = rt.ToValue(func(call goja.FunctionCall) goja.Value {
			target, all := call.Argument(0).ToObject(rt), call.Argument(1).ToObject(rt)
			for _, name := range all.Keys() {
				if err := target.DefineAccessorProperty(name, all.Get(name), nil, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
					panic(err)
				}
			}
			return goja.Undefined()
		})
		r.toCJSFn = rt.ToValue(func(call goja.FunctionCall) goja.Value {
			mod := call.Argument(0).ToObject(rt)
			if err := mod.DefineDataProperty("__esModule", rt.ToValue(true), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
				panic(err)
			}
			return mod
		})
	}
	return r.exportFn, r.toCJSFn
}
