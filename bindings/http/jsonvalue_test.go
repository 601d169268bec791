package http

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// jsonInputs are JSON texts (and texts that are not JSON) res.json() meets.
var jsonInputs = []string{
	`{"a":{"b":[1,{"c":"x"}]},"n":42}`, `[]`, `{}`, ` [ 1 , 2 ] `, "\t\n{\r}\n", `"just a string"`, `12`, `-0`, `0`,
	`-12.5e3`, `1E-7`, `0.1`, `123456789012345`, `1234567890123456789`, `-9007199254740993`, `1e400`, `-1e400`, `1.`,
	`.5`, `01`, `-`, `+1`, `1e`, `1e+`, `true`, `false`, `null`, `nul`, `tru`, `[true,false,null]`,
	`{"a":1,"a":2,"b":3}`, `{"__proto__":{"x":1},"y":2}`, `{"":""}`, `["\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"]`,
	`"\ud800"`, `"\udc00x"`, "\"tab\tinside\"", `"é ü 漢字"`, "\"\xff\xfe bad utf-8\"", `"unterminated`, `{"a" 1}`,
	`{"a":1,}`, `[1,]`, `[1 2]`, `{"a":1}}`, `{"a":1} {"b":2}`, `{a:1}`, `['x']`, ``, ` `, `[[[[[]]]]]`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	`{"items":[{"id":1,"name":"product 1","price":10.99,"stock":100}],"total":1}`, `"\u0041\u00"`, `"\x"`,
	`{"k":"` + strings.Repeat("long ", 2000) + `"}`,
}

func TestJSONToValueMatchesJSONParse(t *testing.T) {
	t.Parallel()
	for _, s := range jsonInputs {
		name := s
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkJSONToValue(t, s)
		})
	}
}

// FuzzJSONToValue checks that jsonToValue accepts only what JSON.parse
// accepts, and gives what it gives.
func FuzzJSONToValue(f *testing.F) {
	for _, s := range jsonInputs {
		f.Add(s)
	}
	f.Fuzz(checkJSONToValue)
}

func checkJSONToValue(t *testing.T, s string) {
	rt := goja.New()
	parse, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
	want, err := parse(goja.Undefined(), rt.ToValue(s))
	got, ok := jsonToValue(rt, s)
	switch {
	case err != nil && ok:
		t.Fatalf("jsonToValue(%q) = %v, but JSON.parse fails: %v", s, got, err)
	case err != nil || !ok:
		return // JSON.parse gives the answer (its error, or its value)
	}
	if diff := jsDiff(rt, got, want, "value"); diff != "" {
		t.Errorf("jsonToValue(%q): %s", s, diff)
	}
}

// jsDiff compares two JSON-made values: the same types, strings, numbers
// (-0 apart from 0), own keys in the same order, prototypes.
func jsDiff(rt *goja.Runtime, got, want goja.Value, path string) string {
	if goja.IsNull(want) || goja.IsNull(got) {
		if goja.IsNull(want) != goja.IsNull(got) {
			return fmt.Sprintf("%s: %v, want %v", path, got, want)
		}
		return ""
	}
	wo, wantObj := want.(*goja.Object)
	gobj, gotObj := got.(*goja.Object)
	if wantObj != gotObj {
		return fmt.Sprintf("%s: %v (%T), want %v (%T)", path, got, got, want, want)
	}
	if !wantObj {
		if got.ExportType() != want.ExportType() {
			return fmt.Sprintf("%s: %v of type %v, want %v of type %v", path, got, got.ExportType(), want, want.ExportType())
		}
		if gf, ok := got.Export().(float64); ok {
			wf := want.Export().(float64)
			if gf != wf || math.Signbit(gf) != math.Signbit(wf) {
				return fmt.Sprintf("%s: %v, want %v", path, gf, wf)
			}
			return ""
		}
		if !got.StrictEquals(want) {
			return fmt.Sprintf("%s: %q, want %q", path, got, want)
		}
		return ""
	}
	if gobj.ClassName() != wo.ClassName() || !gobj.Prototype().SameAs(wo.Prototype()) {
		return fmt.Sprintf("%s: a %s, want a %s with the same prototype", path, gobj.ClassName(), wo.ClassName())
	}
	gk, wk := gobj.GetOwnPropertyNames(), wo.GetOwnPropertyNames()
	if fmt.Sprint(gk) != fmt.Sprint(wk) {
		return fmt.Sprintf("%s: keys %q, want %q", path, gk, wk)
	}
	for _, k := range wk {
		if k == "length" && wo.ClassName() == "Array" {
			continue
		}
		if d := jsDiff(rt, gobj.Get(k), wo.Get(k), path+"."+k); d != "" {
			return d
		}
	}
	return ""
}

// TestJSONToValueFastPath: valid JSON of the usual kinds is read without
// falling back to JSON.parse.
func TestJSONToValueFastPath(t *testing.T) {
	t.Parallel()
	rt := goja.New()
	for _, s := range []string{`{"a":{"b":[1,{"c":"x"}]},"n":42}`, `["é",-0,1e-7,"a\nb"]`, `{"__proto__":1}`} {
		if _, ok := jsonToValue(rt, s); !ok {
			t.Errorf("jsonToValue(%q) fell back to JSON.parse", s)
		}
	}
}

// BenchmarkJSON compares res.json()'s reading of a list of 10 products with
// goja's JSON.parse.
func BenchmarkJSON(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(`{"items":[`)
	for i := range 10 {
		if i > 0 {
			doc.WriteByte(',')
		}
		fmt.Fprintf(&doc, `{"id":%d,"name":"product %d","price":%d.99,"stock":%d}`, i+1, i+1, 10+i, 100-i)
	}
	doc.WriteString(`],"total":10}`)
	s := doc.String()
	rt := goja.New()
	parse, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
	src := rt.ToValue(s)
	b.Run("JSON.parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parse(goja.Undefined(), src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("jsonToValue", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := jsonToValue(rt, s); !ok {
				b.Fatal("fell back")
			}
		}
	})
}
