package jsruntime

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// stringifyPair is two runtimes, one with goja's JSON.stringify and one with
// jsload's, to compare them on the same script.
type stringifyPair struct{ native, ours *goja.Runtime }

func newStringifyPair() stringifyPair {
	r := &scriptRuntime{rt: goja.New(), ctx: context.Background()}
	r.installStringify()
	return stringifyPair{native: goja.New(), ours: r.rt}
}

// run evaluates src in rt (interrupted after a second, against a fuzzed
// endless loop) and returns its result as a string, or the error.
func run(rt *goja.Runtime, src string) (string, error) {
	t := time.AfterFunc(time.Second, func() { rt.Interrupt("too long") })
	defer t.Stop()
	v, err := rt.RunString(src)
	rt.ClearInterrupt()
	if err != nil {
		return "", err
	}
	if goja.IsUndefined(v) {
		return "undefined", nil
	}
	return "'" + v.String() + "'", nil
}

// stringifySeeds are values, each with a replacer and a space, as JavaScript
// expressions (FuzzStringify's seeds).
var stringifySeeds = []string{
	`1`, `-0`, `1.5e300`, `NaN`, `-Infinity`, `"a\"b\\c\n\t\u0001\u001f"`, `"é ü ☃ 😀"`, `"\ud800 lone \udc00"`,
	`true`, `null`, `undefined`, `Symbol('s')`, `() => 1`, `[]`, `{}`, `[undefined, () => 1, Symbol()]`,
	`{a: undefined, b: () => 1, c: 1}`, `{a: [1, {b: [2, {c: 3}]}], d: 'x'}`, `new Number(3)`, `new String('s')`,
	`new Boolean(false)`, `[new Boolean(true), new Number(-1), new String('')]`, `{toJSON() { return 'tj'; }}`,
	`{a: {toJSON(k) { return 'key ' + k; }}}`, `[{toJSON(k) { return k; }}]`, `new Date(0)`, `{1: 'one', b: 2, 0: 'zero'}`,
	`Object.create({inherited: 1}, {own: {value: 2, enumerable: true}, hidden: {value: 3}})`,
	`(() => { const a = [1, 2]; a.x = 3; return a; })()`, `new Array(3)`, `[[[]]]`, `{'': 1, ' ': 2}`,
	`{get g() { return 'got'; }}`, `new Map([[1, 2]])`, `/re/g`, `new Error('e')`, `new Uint8Array([1, 2])`,
	`JSON.rawJSON('1e1000')`, `{x: JSON.rawJSON('"raw"')}`, `new Proxy({a: 1}, {})`, `new Proxy([1, 2], {})`,
	`Object.assign(Object.create(null), {z: 1})`, `{a: 1n}`, `1n`, `{a: {b: {c: {d: {e: {f: {g: [1]}}}}}}}`,
}

var stringifyArgs = []string{
	``, `, null, 2`, `, null, '--'`, `, null, 'abcdefghijklmn'`, `, null, 20`, `, null, new Number(3)`,
	`, null, new String('\t')`, `, ['a', 'b', 1, 'a']`, `, [new String('c')]`, `, (k, v) => typeof v === 'number' ? v * 2 : v`,
	`, function (k, v) { return k === 'a' ? undefined : v; }`, `, (k, v) => v, 1`,
}

// TestStringifyMatchesGoja compares jsload's JSON.stringify with goja's on the
// seeds, every replacer and space with every value.
func TestStringifyMatchesGoja(t *testing.T) {
	t.Parallel()
	p := newStringifyPair()
	for _, v := range stringifySeeds {
		for _, args := range stringifyArgs {
			src := "JSON.stringify(" + v + args + ")"
			p.compare(t, src)
		}
	}
}

func (p stringifyPair) compare(t *testing.T, src string) {
	t.Helper()
	want, werr := run(p.native, src)
	got, gerr := run(p.ours, src)
	if (werr == nil) != (gerr == nil) || got != want {
		t.Errorf("%s:\n jsload %s %v\n goja   %s %v", src, got, gerr, want, werr)
	}
}

// FuzzStringify compares jsload's JSON.stringify with goja's on values a
// fuzzer writes (and their seeds).
func FuzzStringify(f *testing.F) {
	for _, v := range stringifySeeds {
		f.Add(v, "")
	}
	for _, a := range stringifyArgs {
		f.Add(`{a: [1, 'x', {b: null}]}`, a)
	}
	f.Fuzz(func(t *testing.T, value, args string) {
		if len(value) > 200 || strings.Contains(value, "toJSON") || strings.Contains(args, "toJSON") {
			return // goja's own overflows Go's stack on a toJSON that recurses
		}
		p := newStringifyPair()
		src := "JSON.stringify((" + value + ")" + args + ")"
		if _, err := run(p.native, "void (() => ("+value+"))()"); err != nil {
			return // not a value
		}
		p.compare(t, src)
	})
}

// TestStringifyGuards checks what goja's JSON.stringify cannot do: values too deep
// throw a RangeError, cycles throw naming the path, an endless toJSON ends, and a
// cancelled context interrupts a long serialisation.
func TestStringifyGuards(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ src, want string }{
		{`let o = {}; for (let i = 0; i < 20000; i++) o = {a: o}; JSON.stringify(o)`, "RangeError: Maximum call stack size exceeded: JSON.stringify of a value nested more than 10000 levels deep"},
		{`let a = []; for (let i = 0; i < 20000; i++) a = [a]; JSON.stringify(a)`, "RangeError: Maximum call stack size exceeded"},
		{`const o = {toJSON() { return {inner: {toJSON: o.toJSON}}; }}; JSON.stringify(o)`, "RangeError: Maximum call stack size exceeded"},
		{`const t = {children: [{}]}; t.children[0].parent = t; JSON.stringify({tree: t})`,
			"TypeError: Converting circular structure to JSON: value.tree.children[0].parent refers back to an object that contains it"},
		{`const a = [1]; a.push(a); JSON.stringify(a)`, "TypeError: Converting circular structure to JSON: value[1] refers back"},
	} {
		r := &scriptRuntime{rt: goja.New(), ctx: context.Background()}
		r.installStringify()
		_, err := r.rt.RunString(tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.src, err, tt.want)
		}
	}
	// A shared object that is no cycle serialises twice.
	r := &scriptRuntime{rt: goja.New(), ctx: context.Background()}
	r.installStringify()
	if v, err := r.rt.RunString(`const s = {x: 1}; JSON.stringify([s, {s}])`); err != nil || v.String() != `[{"x":1},{"s":{"x":1}}]` {
		t.Errorf("a shared object: %v %v", v, err)
	}
}

func TestStringifyInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancelCause(context.Background())
	r := &scriptRuntime{rt: goja.New(), ctx: ctx}
	r.installStringify()
	cancel(context.Canceled) // not bound to the runtime: only stringify looks at it
	_, err := r.rt.RunString(`const big = Array.from({length: 100000}, (_, i) => ({i})); JSON.stringify(big); 'finished'`)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("a stringify under a cancelled context = %v, want it interrupted", err)
	}
}

// BenchmarkStringify serialises a typical request body with goja's JSON.stringify
// (native) and jsload's (ours): report ours as a ratio to native.
func BenchmarkStringify(b *testing.B) {
	const body = `({user: 'alice', token: 'abcdefgh', items: Array.from({length: 10}, (_, i) => ({id: i, qty: i * 2, name: 'item ' + i})), meta: {a: 1, b: 'x', c: [1, 2, 3], ok: true, none: null}})`
	p := newStringifyPair()
	for _, side := range []struct {
		name string
		rt   *goja.Runtime
	}{{"native", p.native}, {"ours", p.ours}} {
		b.Run(side.name, func(b *testing.B) {
			v, err := side.rt.RunString(body)
			if err != nil {
				b.Fatal(err)
			}
			fn, _ := goja.AssertFunction(side.rt.Get("JSON").ToObject(side.rt).Get("stringify"))
			for b.Loop() {
				if _, err := fn(goja.Undefined(), v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
