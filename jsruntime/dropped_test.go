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
  var f = function () { var g = function () { http.put(u); }; };
}
`
	want := []string{"get:7", "get:8", "batch:9", "post:10", "del:11", "head:11", "request:12", "put:20"}
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
// name:line, in the order walkAST finds them (that of the source).
func markedCalls(t *testing.T, abs, src string) []string {
	t.Helper()
	_, prog, err := parseModule(abs, abs, src)
	if err != nil {
		t.Fatal(err)
	}
	markDropped(prog)
	var got []string
	walkAST(reflect.ValueOf(wrapperBody(prog)), func(st *ast.ExpressionStatement) {
		e := st.Expression
		if u, ok := e.(*ast.UnaryExpression); ok {
			e = u.Operand
		}
		call, ok := e.(*ast.CallExpression)
		if !ok {
			return
		}
		callee := call.Callee
		if seq, ok := callee.(*ast.SequenceExpression); ok {
			callee = seq.Sequence[len(seq.Sequence)-1]
		}
		dot, ok := callee.(*ast.DotExpression)
		if !ok {
			return
		}
		if drop, ok := dot.Left.(*ast.CallExpression); ok {
			if id, ok := drop.Callee.(*ast.Identifier); ok && id.Name == dropParam {
				got = append(got, fmt.Sprintf("%s:%d", dot.Identifier.Name, prog.File.Position(int(drop.LeftParenthesis)).Line))
			}
		}
	})
	return got
}
