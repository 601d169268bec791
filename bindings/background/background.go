// Package background binds the background-script calls (README: "Background
// scripts"): create, start, request stop, stop now, wait, status and error, plus
// stopRequested() and backgroundScriptId inside a background script. It parses
// and validates; the scripts themselves are run by jsruntime behind
// bindings.Background, which also holds the tables of statuses and stop scopes.
package background

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Exports are the background-script calls.
var Exports = []bindings.Export{
	{Name: "createBackgroundScript", New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(call goja.FunctionCall) goja.Value {
			id := call.Argument(0).String()
			spec, err := parseSpec(h, call.Argument(1))
			if err == nil {
				var opts bindings.BackgroundOptions
				opts, err = parseOptions(call.Argument(2))
				if err == nil {
					err = h.Background().Create(id, spec, opts)
				}
			}
			if err != nil {
				bindings.Throw(rt, fmt.Errorf("createBackgroundScript(%q): %w", id, err))
			}
			return goja.Undefined()
		}
	}},
	control("startBackgroundScript", func(b bindings.Background, id string) error { return b.Start(id) }),
	control("requestToStopBackgroundScript", func(b bindings.Background, id string) error { return b.RequestStop(id) }),
	control("stopBackgroundScriptImmediately", func(b bindings.Background, id string) error { return b.StopNow(id) }),
	{Name: "waitForBackgroundScriptToFinish", New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(call goja.FunctionCall) goja.Value {
			id := call.Argument(0).String()
			timeout, err := bindings.ParseTimeout(call.Argument(1))
			if err != nil {
				bindings.Throw(rt, fmt.Errorf("waitForBackgroundScriptToFinish(%q): %w", id, err))
			}
			ctx := h.WaitContext()
			done, err := h.Background().Wait(ctx, id, timeout)
			if err != nil {
				return bindings.WaitFailed(h, ctx, err)
			}
			return rt.ToValue(done)
		}
	}},
	{Name: "getBackgroundScriptStatus", New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(id string) string {
			st, err := h.Background().Status(id)
			if err != nil {
				bindings.Throw(rt, err)
			}
			return st
		}
	}},
	{Name: "backgroundScriptError", New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(id string) goja.Value {
			msg, err := h.Background().Error(id)
			if err != nil {
				bindings.Throw(rt, err)
			}
			if msg == "" {
				return goja.Null()
			}
			return rt.ToValue(msg)
		}
	}},
	{Name: "stopRequested", New: func(h bindings.Host) any {
		return func() bool { return h.StopRequested() }
	}},
	{Name: "backgroundScriptId", New: func(h bindings.Host) any {
		if id := h.ScriptID(); id != "" {
			return id
		}
		return goja.Null()
	}},
}

// control builds a call that acts on a script by id and throws what fails.
func control(name string, act func(bindings.Background, string) error) bindings.Export {
	return bindings.Export{Name: name, New: func(h bindings.Host) any {
		rt := h.Goja()
		return func(id string) {
			if err := act(h.Background(), id); err != nil {
				bindings.Throw(rt, fmt.Errorf("%s(%q): %w", name, id, err))
			}
		}
	}}
}

// parseSpec reads the script argument: a path relative to the calling file, or
// { exec: 'exportName' } of the main script.
func parseSpec(h bindings.Host, v goja.Value) (bindings.ScriptSpec, error) {
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Object" {
		exec := obj.Get("exec")
		if exec == nil || goja.IsUndefined(exec) || exec.String() == "" {
			return bindings.ScriptSpec{}, fmt.Errorf("the script must be a file path ('./poller.js') or { exec: 'exportedFunction' }")
		}
		return bindings.ScriptSpec{Exec: exec.String()}, nil
	}
	if v == nil || goja.IsUndefined(v) || v.String() == "" {
		return bindings.ScriptSpec{}, fmt.Errorf("the script must be a file path ('./poller.js') or { exec: 'exportedFunction' }")
	}
	path := v.String()
	if !filepath.IsAbs(path) {
		path = filepath.Join(h.Dir(), path)
	}
	return bindings.ScriptSpec{File: path}, nil
}

// optionKeys are the options createBackgroundScript accepts.
var optionKeys = []string{"justCreate", "loop", "pause", "stop", "stopMode", "stopTimeout", "dictionary", "args"}

// parseOptions validates the options object of createBackgroundScript.
func parseOptions(v goja.Value) (bindings.BackgroundOptions, error) {
	o := bindings.BackgroundOptions{StopTimeout: defaultStopTimeout}
	obj, ok := v.(*goja.Object)
	if bindings.IsNullish(v) {
		return o, nil
	}
	if !ok {
		return o, fmt.Errorf("options must be an object such as { loop: true, pause: '1s' }")
	}
	for _, k := range obj.Keys() {
		if !slices.Contains(optionKeys, k) {
			return o, fmt.Errorf("unknown option %q: the options are %s", k, strings.Join(optionKeys, ", "))
		}
	}
	var err error
	o.JustCreate = obj.Get("justCreate") != nil && obj.Get("justCreate").ToBoolean()
	o.Loop = obj.Get("loop") != nil && obj.Get("loop").ToBoolean()
	if o.Pause, err = bindings.ParseTimeout(obj.Get("pause")); err != nil {
		return o, fmt.Errorf("pause: %w", err)
	}
	if t := obj.Get("stopTimeout"); t != nil && !goja.IsUndefined(t) {
		if o.StopTimeout, err = bindings.ParseTimeout(t); err != nil {
			return o, fmt.Errorf("stopTimeout: %w", err)
		}
	}
	if o.Stop, err = choice(obj, "stop", bindings.StopWithCreator, bindings.StopWithIteration, bindings.StopWithVU, bindings.StopNever); err != nil {
		return o, err
	}
	if o.StopMode, err = choice(obj, "stopMode", bindings.StopByRequest, bindings.StopImmediately); err != nil {
		return o, err
	}
	if o.Dictionary, err = choice(obj, "dictionary", bindings.DictByReference, bindings.DictCopy, bindings.DictOverlay); err != nil {
		return o, err
	}
	if a := obj.Get("args"); a != nil && !goja.IsUndefined(a) {
		if o.Args, err = bindings.FromJSFor("args", a); err != nil {
			return o, err
		}
	}
	return o, nil
}

// choice reads the option key as one of allowed, by the names scripts write
// (String); a missing key is the zero value, the option's default.
func choice[T interface {
	comparable
	fmt.Stringer
}](obj *goja.Object, key string, allowed ...T) (T, error) {
	var zero T
	v := obj.Get(key)
	if v == nil || goja.IsUndefined(v) {
		return zero, nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if a.String() == v.String() {
			return a, nil
		}
		names[i] = a.String()
	}
	return zero, fmt.Errorf("%s: %q is not one of %s", key, v.String(), strings.Join(names, ", "))
}

// defaultStopTimeout is how long a script stopped by request gets before it is
// stopped immediately.
const defaultStopTimeout = 5 * time.Second
