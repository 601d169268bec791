package jsruntime

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// Shared is the state every VU of one test run shares. Its fields are set before the
// first VU is built and not changed afterwards.
type Shared struct {
	// Program is the compiled script.
	Program *Program
	// ThinkTimeFactor scales sleep and pause; 1 keeps them, 0 disables them.
	ThinkTimeFactor float64
	// SetupData is setup()'s result as JSON, passed to every VU; nil for none.
	SetupData []byte
	// Abort ends the test at once; called by abortTest from any goroutine.
	Abort func(msg string)
	// Console receives console.* lines; nil discards them.
	Console io.Writer
	// Quiet drops console.debug lines unless Debug is set.
	Debug bool
	// OnError receives errors that end a background script (nil: they go to
	// Console); the scheduler logs them once per distinct message.
	OnError func(what string, err error)
	// Metrics is the test's metric registry; every VU gets a sink of it.
	Metrics *metrics.Registry
	// Tags are added to every sample (the VU's group is added per VU).
	Tags metrics.Tags
	// TestOptions are the settings of the script's options bindings read; set
	// once the options are known, before the VUs that run the test are made.
	TestOptions bindings.TestOptions

	// RunningVUs reports the VUs running now, in the test or one group (-1 for
	// a group the test does not have); nil reports 0.
	RunningVUs func(group string) int64

	// OnGenerationLive, if set, is called once per hot-reload generation when
	// every live VU runs it, with the time since the swap.
	OnGenerationLive func(generation int, took time.Duration)

	gen       atomic.Pointer[Generation] // read lock-free at every iteration; Swap stores it under genMu
	genMu     sync.Mutex
	liveVUs   int64 // VUs counted by moveVU; genMu guards it and the generations' counts
	consoleMu sync.Mutex
	locals    locals
}

// console writes one line "[vu 3] msg" (or "[vu 3 ticker] WARN msg") to Console.
func (s *Shared) console(vuID int64, script, level, msg string) {
	if s.Console == nil || (level == "debug" && !s.Debug) {
		return
	}
	prefix := fmt.Sprintf("[vu %d", vuID)
	if vuID == 0 {
		prefix = "[test" // setup() and teardown()
	}
	if script != "" {
		prefix += " " + script
	}
	prefix += "] "
	switch level {
	case "warn":
		prefix += "WARN "
	case "error":
		prefix += "ERROR "
	case "debug":
		prefix += "DEBUG "
	}
	s.consoleMu.Lock()
	defer s.consoleMu.Unlock()
	_, _ = io.WriteString(s.Console, prefix+msg+"\n")
}

// reportError hands an error that is no iteration's to OnError.
func (s *Shared) reportError(what string, err error) {
	if s.OnError != nil {
		s.OnError(what, err)
		return
	}
	s.console(0, "", "error", what+": "+err.Error())
}

// Exports returns the names the main script exports, sorted.
func (vu *VU) Exports() []string {
	keys := vu.exports.Keys()
	sort.Strings(keys)
	return keys
}

// OptionsJSON returns the script's exported `options` as JSON, or nil when it
// exports none.
func (vu *VU) OptionsJSON() ([]byte, error) {
	v, err := vu.main.getExport(vu.exports, "options")
	if err != nil {
		return nil, fmt.Errorf("export options: %w", err)
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	s, err := vu.stringify(v)
	if err != nil {
		return nil, fmt.Errorf("export options: %w", err)
	}
	return []byte(s), nil
}

// CallJSON calls the exported function name with the JSON argument in (nil for none)
// and returns its settled result as JSON (nil for undefined). Used for setup and
// teardown, whose data crosses runtimes only as JSON.
func (vu *VU) CallJSON(ctx context.Context, name string, in []byte) ([]byte, error) {
	vu.main.bind(ctx)
	fn := vu.Func(name)
	if fn == nil {
		return nil, nil
	}
	var args []goja.Value
	if in != nil {
		arg, err := vu.main.parseJSON(in)
		if err != nil {
			return nil, fmt.Errorf("%s data: %w", name, err)
		}
		args = append(args, arg)
	}
	v, err := vu.main.call(ctx, fn, args...)
	if err != nil {
		return nil, err
	}
	if p, ok := v.Export().(*goja.Promise); ok {
		v = p.Result()
	}
	if v == nil || goja.IsUndefined(v) {
		return nil, nil
	}
	s, err := vu.stringify(v)
	if err != nil {
		return nil, fmt.Errorf("%s() must return JSON-like data: %w", name, err)
	}
	return []byte(s), nil
}

// parseJSON turns JSON text into a value of r: setup() data crosses runtimes as
// JSON. JSON.parse, unlike evaluating the text, compiles nothing.
func (r *Runtime) parseJSON(data []byte) (goja.Value, error) {
	parse, _ := goja.AssertFunction(r.rt.Get("JSON").ToObject(r.rt).Get("parse"))
	v, err := parse(goja.Undefined(), r.rt.ToValue(string(data)))
	if err != nil {
		return nil, scriptError(err)
	}
	return v, nil
}

func (vu *VU) stringify(v goja.Value) (string, error) {
	rt := vu.main.rt
	stringify, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	out, err := stringify(goja.Undefined(), v)
	if err != nil {
		return "", scriptError(err)
	}
	if goja.IsUndefined(out) {
		return "null", nil
	}
	return out.String(), nil
}
