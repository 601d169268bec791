package bindings_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// eval runs src in a new runtime, interrupted after a second (against a fuzzed
// endless loop).
func eval(src string) (*goja.Runtime, goja.Value, error) {
	rt := goja.New()
	rt.SetMaxCallStackSize(1000)
	t := time.AfterFunc(time.Second, func() { rt.Interrupt("too long") })
	defer t.Stop()
	v, err := rt.RunString(src)
	return rt, v, err
}

// same compares two converted values; NaN equals NaN.
func same(a, b any) bool {
	switch a := a.(type) {
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !same(a[i], bs[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			if w, ok := bm[k]; !ok || !same(v, w) {
				return false
			}
		}
		return true
	case float64:
		f, ok := b.(float64)
		return ok && (a == f || math.IsNaN(a) && math.IsNaN(f))
	}
	return a == b
}

func depth(v any) int {
	d := 0
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			d = max(d, depth(e))
		}
		return d + 1
	case map[string]any:
		for _, e := range v {
			d = max(d, depth(e))
		}
		return d + 1
	}
	return 0
}

// FuzzFromJS converts values a fuzzer writes as JavaScript: the conversion never
// panics, errors are ValueErrors, and a converted value is no deeper than
// MaxValueDepth and converts back (ToJS) to itself.
func FuzzFromJS(f *testing.F) {
	for _, s := range []string{
		`1`, `'s'`, `true`, `null`, `undefined`, `NaN`, `-0`, `2**53`, `1.5`, `[1, 'a', [null, {b: false}]]`,
		`({a: {b: {c: [1, 2, {d: 'e'}]}}, '': 0, 'x y': -1})`, `[undefined, , 3]`, `new Array(5)`,
		`(() => { const t = {kids: []}; t.kids.push({up: t}); return t; })()`,
		`(() => { const a = [1]; a.push([a]); return a; })()`,
		`(() => { let o = {}; for (let i = 0; i < 2000; i++) o = {a: o}; return o; })()`,
		`(() => { let o = []; for (let i = 0; i < 999; i++) o = [o]; return o; })()`,
		`(() => { const s = {v: 1}; return [s, s, {s}]; })()`,
		`({f() {}})`, `[Symbol('s')]`, `({n: 10n})`, `new Date(0)`, `new Map()`, `[new String('x'), new Number(1), new Boolean(true)]`,
		`({get g() { return 'got'; }})`, `Object.create({inherited: 1})`, `new Proxy({a: 1}, {})`, `new Uint8Array(2)`,
		`(() => { const e = new Error('e'); e.code = 7; return e; })()`, `({toJSON() { return 1; }})`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 300 {
			return
		}
		rt, v, err := eval("(" + src + ")")
		if err != nil {
			return
		}
		got, err := bindings.FromJSFor("k", v)
		if err != nil {
			var ve *bindings.ValueError
			if !errors.As(err, &ve) || !strings.HasPrefix(err.Error(), "value for 'k' ") {
				t.Fatalf("FromJS(%s) = %v (%T), want a ValueError naming the key", src, err, err)
			}
			return
		}
		if d := depth(got); d > bindings.MaxValueDepth {
			t.Fatalf("FromJS(%s) is %d levels deep", src, d)
		}
		back, err := bindings.FromJS(bindings.ToJS(rt, got))
		if err != nil || !same(got, back) {
			t.Fatalf("FromJS(%s) = %#v, which converts back to %#v, %v", src, got, back, err)
		}
	})
}

// TestFromJSErrors checks the message of each kind of value that cannot be stored.
func TestFromJSErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ src, want string }{
		{`(() => { const t = {kids: []}; t.kids.push({up: t}); return t; })()`,
			"value for 'k' is cyclic (k.kids[0].up refers back to k): store an id instead of the object, or a copy without the back reference"},
		{`(() => { const a = {b: {}}; a.b.c = a.b; return a; })()`, "value for 'k' is cyclic (k.b.c refers back to k.b)"},
		{`(() => { let o = {}; for (let i = 0; i < 5000; i++) o = {a: o}; return o; })()`,
			"value for 'k' is nested more than 1000 levels deep at k.a.a.a"},
		{`({on: {done() {}}})`, "value for 'k' holds a function at k.on.done: store data (strings, numbers, booleans, arrays, objects)"},
		{`() => 1`, "value for 'k' holds a function: store data"},
		{`[1, Symbol('s')]`, "value for 'k' holds a symbol at k[1]"},
		{`({n: 10n})`, "value for 'k' holds a BigInt at k.n: store it as a string (String(n)) or a number"},
		{`({when: new Date(0)})`, "value for 'k' holds a Date at k.when: store data (strings, numbers, booleans, arrays, objects); convert it first, e.g. date.toISOString()"},
		{`new Map()`, "value for 'k' holds a Map"},
	} {
		_, v, err := eval("(" + tt.src + ")")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bindings.FromJSFor("k", v); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("FromJSFor(%s) = %v, want %q", tt.src, err, tt.want)
		}
	}
}
