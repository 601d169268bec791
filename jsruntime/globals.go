package jsruntime

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	databind "github.com/jsload/jsload/bindings/data"
	httpbind "github.com/jsload/jsload/bindings/http"
	"github.com/jsload/jsload/bindings/metricsapi"
)

// builtinModules maps each built-in module name to the function that builds its
// exports for one runtime. Modules are instantiated lazily, on first require, so a
// runtime pays only for what its scripts import.
var builtinModules = map[string]func(r *Runtime) *goja.Object{
	"jsload":         func(r *Runtime) *goja.Object { return r.api },
	"jsload/http":    func(r *Runtime) *goja.Object { return httpbind.Module(r) },
	"jsload/metrics": func(r *Runtime) *goja.Object { return metricsapi.Module(r) },
	"jsload/data":    func(r *Runtime) *goja.Object { return databind.Module(r) },
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

func (r *Runtime) timerFunc(interval bool) func(goja.FunctionCall) goja.Value {
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

func (r *Runtime) console() *goja.Object {
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
// arrays as JSON, errors and everything else through String().
func formatArgs(args []goja.Value) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
		obj, ok := a.(*goja.Object)
		if !ok || obj.ClassName() == "Error" || obj.ClassName() == "Function" {
			continue
		}
		if b, err := json.Marshal(obj.Export()); err == nil {
			parts[i] = string(b)
		}
	}
	return strings.Join(parts, " ")
}

// require returns the module.exports of the file or built-in module spec, as
// imported from mod; each module is evaluated once per runtime.
func (r *Runtime) require(mod *Module, spec string) (*goja.Object, error) {
	target, ok := mod.deps[spec]
	if !ok {
		// A require the loader could not see (a computed name): resolve it now; the
		// Program still compiles each file only once.
		site := &importSite{file: mod.Path, spec: spec, src: mod.Source}
		t, err := r.prog.resolve(mod.Path, spec, site)
		if err != nil {
			return nil, err
		}
		target = t
	}
	if exp, ok := r.modules[target]; ok {
		return exp, nil
	}
	if build, ok := builtinModules[target]; ok {
		exp := build(r)
		r.setModule(target, exp)
		return exp, nil
	}
	m, err := r.prog.module(target, &importSite{file: mod.Path, spec: spec, src: mod.Source})
	if err != nil {
		return nil, err
	}
	return r.evaluate(m)
}

func (r *Runtime) setModule(key string, exp *goja.Object) {
	if r.modules == nil {
		r.modules = map[string]*goja.Object{}
	}
	r.modules[key] = exp
}

// evaluate runs a module's top-level code in this runtime and returns its exports.
func (r *Runtime) evaluate(m *Module) (*goja.Object, error) {
	rt := r.rt
	wrapper, err := rt.RunProgram(m.prog)
	if err != nil {
		return nil, scriptError(err)
	}
	fn, ok := goja.AssertFunction(wrapper)
	if !ok {
		return nil, fmt.Errorf("%s: module did not compile to a function", DisplayPath(m.Path))
	}
	exports := rt.NewObject()
	module := rt.NewObject()
	_ = module.Set("exports", exports)
	r.setModule(m.Path, exports) // a cycle sees the partial exports, as in Node
	req := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		exp, err := r.require(m, call.Argument(0).String())
		if err != nil {
			bindings.Throw(rt, err)
		}
		return exp
	})
	exportFn, toCJS := r.nativeHelpers()
	if _, err := fn(goja.Undefined(), exports, req, module, rt.ToValue(m.Path), rt.ToValue(filepath.Dir(m.Path)), exportFn, toCJS); err != nil {
		delete(r.modules, m.Path)
		return nil, scriptError(err)
	}
	exp := module.Get("exports").ToObject(rt)
	r.setModule(m.Path, exp)
	return exp, nil
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

// nativeHelpers returns Go versions of esbuild's __export and __toCommonJS helpers
// (see blankHelpers), made once per runtime. __export defines each export as an
// enumerable getter, keeping ES module live bindings; __toCommonJS marks the exports
// object as an ES module and returns it as it is, instead of copying it.
func (r *Runtime) nativeHelpers() (goja.Value, goja.Value) {
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
