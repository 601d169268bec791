package jsruntime

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/dop251/goja/ast"
)

// TestMarkDropped checks which calls the loader marks as dropping their
// result: statements that are a call alone of a function of jsload/http or
// k6/http, however the file imports it; not a call whose result is used, nor
// one of another module or object.
func TestMarkDropped(t *testing.T) {
	t.Parallel()
	src := `import http from 'jsload/http';
import { get, batch } from 'jsload/http';
import * as k6http from 'k6/http';
import { helper } from './lib.js';
const o = { get() {} };
export default function () {
  http.get(u);
  get(u);
  void batch([u]);
  k6http.post(u, 'x');
  if (u) http.del(u); else { http.head(u); }
  [1].forEach(() => { http.request('GET', u); });
  http.get(u).body;
  const r = http.get(u);
  check(http.get(u));
  o.get(u);
  helper(u);
  (() => http.get(u))();
  http.get(u), http.get(u);
}
`
	want := []string{"get:7", "get:8", "batch:9", "post:10", "del:11", "head:11", "request:12"}
	if got := markedCalls(t, "/s/main.js", src); !slices.Equal(got, want) {
		t.Errorf("marked %v, want %v", got, want)
	}

	cjs := `const http = require('k6/http');
var lib = require('./lib.js');
module.exports.default = function () {
  http.get(u);
  lib.get(u);
  function f(http) { http.get(u); }
};
`
	// esbuild renames the parameter that shadows http: its call is not marked.
	if got, want := markedCalls(t, "/s/cjs.js", cjs), []string{"get:4"}; !slices.Equal(got, want) {
		t.Errorf("CommonJS: marked %v, want %v", got, want)
	}

	if got := markedCalls(t, "/s/none.js", "export default function () { fetch(u); }"); len(got) != 0 {
		t.Errorf("a file without jsload/http: marked %v", got)
	}
}

// markedCalls parses src as the loader does and lists its marked calls as
// name:line, in the order of the source.
func markedCalls(t *testing.T, abs, src string) []string {
	t.Helper()
	_, prog, err := parseModule(abs, abs, src)
	if err != nil {
		t.Fatal(err)
	}
	markDropped(prog)
	var got []string
	seen := map[*ast.CallExpression]bool{} // a function declaration is in its scope's DeclarationList too
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if v.IsNil() {
				return
			}
			if call, ok := v.Interface().(*ast.CallExpression); ok && !seen[call] {
				seen[call] = true
				if id, ok := call.Callee.(*ast.Identifier); ok && id.Name == dropParam {
					name := call.ArgumentList[1].(*ast.StringLiteral).Value
					got = append(got, fmt.Sprintf("%s:%d", name, prog.File.Position(int(call.LeftParenthesis)).Line))
				}
			}
			visit(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Field(i); f.CanInterface() {
					visit(f)
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				visit(v.Index(i))
			}
		}
	}
	visit(reflect.ValueOf(wrapperBody(prog)))
	return got
}
