package rendezvous

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

type pointsKey struct{}

// For returns the test-wide rendezvous points, shared by every runtime of every
// VU: the Backend Install put there, else in-process Points.
func For(h bindings.Host) Backend {
	return h.TestLocal(pointsKey{}, func() any { return &Points{} }).(Backend)
}

// Exports are the rendezvous calls: rendezvous(name, options).
var Exports = []bindings.Export{
	{Name: "rendezvous", New: newRendezvous},
}

// newRendezvous builds rendezvous(name, options) for one runtime. It blocks the
// runtime's goroutine until the wave is released; if the runtime is stopped
// meanwhile the VU leaves the wave and the script is interrupted.
func newRendezvous(h bindings.Host) any {
	rt := h.Goja()
	points := For(h)
	return func(call goja.FunctionCall) goja.Value {
		name := ""
		if a := call.Argument(0); !goja.IsUndefined(a) && !goja.IsNull(a) {
			name = a.String()
		}
		opts, err := parseOptions(rt, call.Argument(1))
		if err == nil {
			err = opts.Validate()
		}
		if err == nil && name == "" {
			err = errEmptyName
		}
		if err != nil {
			bindings.Throw(rt, fmt.Errorf("rendezvous(%q): %w", name, err))
		}
		// RunningVUs is read from the recheck timer's goroutine too: an exception
		// to the Host rule, safe because it only reads the scheduler's counters
		// (jsruntime.TestState.RunningVUs), which are goroutine-safe.
		group := opts.Group
		if group != "" && h.RunningVUs(group) < 0 {
			bindings.Throw(rt, fmt.Errorf("rendezvous(%q): the test has no VU group named %q: name one of options.groups", name, group))
		}
		running := func() int64 { return h.RunningVUs(group) }
		ctx := h.WaitContext()
		res, err := points.Arrive(ctx, name, opts, running)
		if err != nil && ctx.Err() == nil {
			bindings.Throw(rt, fmt.Errorf("rendezvous(%q): %w", name, err))
		}
		sink := h.Metrics()
		sink.AddDuration(h.Registry().Builtins().RendezvousWaitDuration, sink.Tagged(h.Tags(), "rendezvous", name), res.Waited)
		if err != nil {
			return bindings.WaitFailed(h, ctx, err)
		}
		// A fresh Go map wrapped as an object: about half the cost of NewObject
		// and three Sets, which matters when a thousand VUs leave at once.
		return rt.ToValue(map[string]any{
			"released": string(res.Released),
			"waited":   float64(res.Waited) / float64(time.Millisecond),
			"arrived":  res.Arrived,
		})
	}
}

// optionKeys are the keys a rendezvous options object may hold.
const optionKeys = "count, percent, group, timeout or interArrivalTimeout"

// parseOptions reads the options object of rendezvous(). Each key is checked for
// its type; Validate checks the combination.
func parseOptions(rt *goja.Runtime, v goja.Value) (Options, error) {
	var o Options
	if bindings.IsNullish(v) {
		return o, errors.New("no options: give a release condition, e.g. rendezvous('checkout', { count: 10 })")
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return o, fmt.Errorf("options must be an object such as { count: 10 }, not %s", v)
	}
	for _, k := range obj.Keys() {
		val := obj.Get(k)
		var err error
		switch k {
		case "count":
			o.Count, err = parseCount(val)
		case "percent":
			o.Percent, err = parsePercent(val)
		case "group":
			o.Group = val.String()
			if o.Group == "" {
				err = errors.New("group is empty: give the name of a VU group, or leave group out for the whole test")
			}
		case "timeout":
			o.Timeout, err = bindings.ParseTimeout(val)
		case "interArrivalTimeout":
			o.InterArrivalTimeout, err = bindings.ParseTimeout(val)
		default:
			err = fmt.Errorf("unknown option %q: use %s", k, optionKeys)
		}
		if err != nil {
			if k == "timeout" || k == "interArrivalTimeout" {
				err = fmt.Errorf("%s: %w", k, err)
			}
			return o, err
		}
	}
	return o, nil
}

// parseCount reads count, a whole number; Validate checks its range. 0 is
// refused here, as Validate reads it as "no count".
func parseCount(v goja.Value) (int64, error) {
	f, ok := number(v)
	switch {
	case !ok || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32:
		return 0, fmt.Errorf("count %s is not a number of VUs: give a whole number, e.g. { count: 10 }", v)
	case f == 0:
		return 0, fmt.Errorf("count is 0: %s", countHint)
	}
	return int64(f), nil
}

// parsePercent reads percent, a number; Validate checks its range. 0 is refused
// here, as Validate reads it as "no percent".
func parsePercent(v goja.Value) (float64, error) {
	f, ok := number(v)
	switch {
	case !ok:
		return 0, fmt.Errorf("percent %s is not a number: %s", v, percentHint)
	case f == 0:
		return 0, fmt.Errorf("percent 0 is out of range: %s", percentHint)
	}
	return f, nil
}

// number returns v as a float64 when it is a JavaScript number.
func number(v goja.Value) (float64, bool) {
	switch e := v.Export().(type) {
	case int64:
		return float64(e), true
	case float64:
		return e, !math.IsNaN(e)
	}
	return 0, false
}
