package k6

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	vubind "github.com/jsload/jsload/bindings/vu"
	"github.com/jsload/jsload/metrics"
)

// groupSeparator joins the names of nested groups in the group tag
// (::outer::inner), as in k6.
const groupSeparator = "::"

// Module builds the exports of `k6` for h's runtime. check, sleep and fail are
// jsload's own (the VU API); group and randomSeed are k6's.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	o := rt.NewObject()
	for _, name := range []string{"check", "sleep", "fail"} {
		_ = o.Set(name, vuExport(h, name))
	}
	g := &groups{h: h}
	g.duration, _ = h.Registry().Register("group_duration", metrics.Trend, metrics.Time) // a valid name: never fails
	_ = o.Set("group", g.group)
	_ = o.Set("randomSeed", func(seed int64) {
		src := rand.New(rand.NewPCG(uint64(seed), 0))
		rt.SetRandSource(src.Float64)
	})
	return o
}

// vuExport is the value of the VU API's export name in h's runtime.
func vuExport(h bindings.Host, name string) any {
	for _, e := range vubind.Exports {
		if e.Name == name {
			return e.New(h)
		}
	}
	panic("k6: the VU API has no " + name)
}

// groups is the group() of one runtime, and the path of the groups it is in.
type groups struct {
	h        bindings.Host
	path     string // "" outside any group, else ::outer::inner
	duration *metrics.Metric
}

// group implements group(name, fn): fn runs with the samples it makes tagged
// group=<path> (which replaces the VU group's name for them, as k6's group tag
// does), and its duration is recorded in group_duration. It returns what fn
// returns; the tag is restored however fn ends.
func (g *groups) group(call goja.FunctionCall) goja.Value {
	rt := g.h.Goja()
	name := call.Argument(0).String()
	fn, ok := goja.AssertFunction(call.Argument(1))
	switch {
	case !ok:
		bindings.Throw(rt, fmt.Errorf("group(%q, fn) needs a function as its second argument", name))
	case name == "":
		bindings.Throw(rt, errors.New("group(name, fn): the name must not be empty"))
	case strings.Contains(name, groupSeparator):
		bindings.Throw(rt, fmt.Errorf("group(%q): a group name must not contain %q", name, groupSeparator))
	case isAsync(call.Argument(1)):
		bindings.Throw(rt, fmt.Errorf("group(%q, fn): fn is an async function, which group() cannot time or tag (as in k6): use startTransaction/endTransaction around awaited code", name))
	}
	outer, _ := g.h.Tags().Get("group")
	outerPath := g.path
	g.path += groupSeparator + name
	sink := g.h.Metrics()
	inside := sink.Tagged(g.h.Tags(), "group", g.path)
	g.h.SetTags(inside)
	defer func() {
		g.path = outerPath
		g.h.SetTags(sink.Tagged(g.h.Tags(), "group", outer)) // keeps tags set inside (vu.tags)
	}()
	begin := time.Now()
	ret, err := fn(goja.Undefined())
	sink.AddDuration(g.duration, g.h.Tags(), time.Since(begin))
	if err != nil {
		panic(err)
	}
	return ret
}

// isAsync reports whether v is an async function.
func isAsync(v goja.Value) bool {
	obj, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	ctor, ok := obj.Get("constructor").(*goja.Object)
	return ok && ctor.Get("name").String() == "AsyncFunction"
}

// FromGlobals builds a module whose exports are the runtime's globals of these
// names: k6/timers (setTimeout, ...) and k6/experimental/webcrypto (crypto) are
// jsload's web platform globals.
func FromGlobals(h bindings.Host, names ...string) *goja.Object {
	rt := h.Goja()
	o := rt.NewObject()
	for _, n := range names {
		_ = o.Set(n, rt.Get(n))
	}
	return o
}
