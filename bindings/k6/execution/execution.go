// Package execution is k6/execution: what a script can learn of the VU it runs in
// (vu), of its group (scenario: jsload's VU groups are k6's scenarios), of the
// run (instance), and test.abort and test.options. It reads the VU's identity and
// counters (bindings.VUInfo) and the scheduler's state (bindings.RunState).
package execution

import (
	"errors"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

var (
	errVUInInit       = errors.New("k6/execution: vu is not available in the init context (as in k6): read it inside a function")
	errScenarioNoVU   = errors.New("k6/execution: scenario is available to VUs only, not in the init context, setup() or teardown() (as in k6)")
	errOptionsInInit  = errors.New("k6/execution: test.options is not available in the init context (as in k6): read it inside a function")
	errTestFail       = errors.New("k6/execution: test.fail() is not supported by jsload: use fail() to fail the iteration, or test.abort() to end the test")
	errMetadataNotSet = errors.New("k6/execution: vu.metrics.metadata is not supported by jsload: use tags (vu.metrics.tags)")
)

// Module builds the exports of k6/execution for h's runtime. Each of vu,
// scenario, instance and test is an object whose fields are read live.
func Module(h bindings.Host) *goja.Object {
	m := &module{h: h, rt: h.Goja()}
	o := m.rt.NewObject()
	m.getter(o, "vu", m.vu)
	m.getter(o, "scenario", m.scenario)
	m.getter(o, "instance", m.instance)
	m.getter(o, "test", m.test)
	return o
}

type module struct {
	h  bindings.Host
	rt *goja.Runtime

	vuObj, scenarioObj, instanceObj, testObj, options *goja.Object // made on first read
}

func (m *module) getter(o *goja.Object, name string, get func() *goja.Object) {
	_ = o.DefineAccessorProperty(name, m.rt.ToValue(func(goja.FunctionCall) goja.Value { return get() }), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// fields makes an object whose properties are read through get on every access.
func (m *module) fields(props []string, get func(key string) any) *goja.Object {
	o := m.rt.NewObject()
	for _, p := range props {
		_ = o.DefineAccessorProperty(p, m.rt.ToValue(func(goja.FunctionCall) goja.Value { return m.rt.ToValue(get(p)) }),
			nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	return o
}

func (m *module) vu() *goja.Object {
	if m.h.InitContext() {
		bindings.Throw(m.rt, errVUInInit)
	}
	if m.vuObj == nil {
		info := m.h.VU()
		m.vuObj = m.fields([]string{"idInInstance", "idInTest", "iterationInInstance", "iterationInScenario"}, func(key string) any {
			switch key {
			case "idInInstance", "idInTest":
				return info.ID
			}
			return info.Iteration()
		})
		tags := m.rt.NewDynamicObject(&tagsObject{h: m.h})
		_ = m.vuObj.Set("tags", tags)
		metrics := m.rt.NewObject()
		_ = metrics.Set("tags", tags)
		_ = metrics.Set("metadata", m.rt.NewDynamicObject(&metadataObject{rt: m.rt}))
		_ = m.vuObj.Set("metrics", metrics)
	}
	return m.vuObj
}

func (m *module) scenario() *goja.Object {
	info := m.h.VU()
	if m.h.InitContext() || info.ID == 0 || info.Run == nil {
		bindings.Throw(m.rt, errScenarioNoVU)
	}
	if m.scenarioObj == nil {
		run := info.Run
		m.scenarioObj = m.fields([]string{"name", "executor", "startTime", "progress", "iterationInInstance", "iterationInTest"}, func(key string) any {
			switch key {
			case "name":
				return info.Group
			case "executor":
				return run.Executor()
			case "startTime":
				return msSinceEpoch(run.GroupStart())
			case "progress":
				return run.Progress(info.IterationInGroup())
			}
			return info.IterationInGroup()
		})
	}
	return m.scenarioObj
}

func (m *module) instance() *goja.Object {
	if m.instanceObj == nil {
		m.instanceObj = m.fields([]string{"currentTestRunDuration", "iterationsCompleted", "iterationsInterrupted", "vusActive", "vusInitialized"}, func(key string) any {
			run := m.h.VU().Run
			if run == nil {
				return 0
			}
			switch key {
			case "currentTestRunDuration":
				if start := run.TestStart(); !start.IsZero() {
					return float64(time.Since(start)) / float64(time.Millisecond)
				}
				return 0
			case "iterationsCompleted":
				return run.Counts().IterationsCompleted
			case "iterationsInterrupted":
				return run.Counts().IterationsInterrupted
			case "vusActive":
				return m.h.RunningVUs("")
			}
			return run.Counts().VUsInitialized
		})
	}
	return m.instanceObj
}

func (m *module) test() *goja.Object {
	if m.testObj != nil {
		return m.testObj
	}
	o := m.rt.NewObject()
	_ = o.Set("abort", func(call goja.FunctionCall) goja.Value {
		msg := "test aborted"
		if v := call.Argument(0); !goja.IsUndefined(v) && !goja.IsNull(v) {
			msg += ": " + v.String()
		}
		m.h.Abort(msg)
		return goja.Undefined()
	})
	_ = o.Set("fail", func(goja.FunctionCall) goja.Value {
		bindings.Throw(m.rt, errTestFail)
		return nil
	})
	m.getter(o, "options", m.optionsObject)
	m.testObj = o
	return o
}

// optionsObject is test.options: the script's options, parsed once and frozen.
func (m *module) optionsObject() *goja.Object {
	if m.h.InitContext() {
		bindings.Throw(m.rt, errOptionsInInit)
	}
	if m.options == nil {
		src := "{}"
		if run := m.h.VU().Run; run != nil && run.Options() != nil {
			src = string(run.Options())
		}
		parse, _ := goja.AssertFunction(m.rt.Get("JSON").ToObject(m.rt).Get("parse"))
		v, err := parse(goja.Undefined(), m.rt.ToValue(src))
		if err != nil {
			panic(err)
		}
		m.options = v.ToObject(m.rt)
		deepFreeze(m.rt, m.options)
	}
	return m.options
}

func deepFreeze(rt *goja.Runtime, obj *goja.Object) {
	freeze, _ := goja.AssertFunction(rt.Get("Object").ToObject(rt).Get("freeze"))
	var walk func(v goja.Value)
	walk = func(v goja.Value) {
		o, ok := v.(*goja.Object)
		if !ok {
			return
		}
		_, _ = freeze(goja.Undefined(), o)
		for _, k := range o.Keys() {
			walk(o.Get(k))
		}
	}
	walk(obj)
}

func msSinceEpoch(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
