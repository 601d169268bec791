package jsruntime

import (
	"reflect"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"
)

// Dropped results. A statement that is a call alone, `http.get(url);`, drops
// the call's result: nothing can read the response. The loader marks such
// calls of the functions of the built-in modules in droppingModules that a
// file imports (markDropped): the call X.name(args) becomes
// __jsload_drop(X, "name").name(args), where __jsload_drop (a parameter of the
// module's wrapper, dropFunc) returns the object a binding registered for
// X.name's function (bindings.DroppedCalls), whose function of that name makes
// the same call knowing its result is dropped, and X itself for any other
// function. X is evaluated once and the function looked up before the
// arguments are evaluated, as in the call written; a getter of X.name runs
// twice (once for the check), and the binding's variant, a native function,
// is called with the variant object as `this`, which it does not read. An
// HTTP request whose response is dropped reads the body as it would otherwise
// (the same limits and errors) into memory it reuses at once, instead of
// memory of its own the script would keep: a 100 KiB body costs half the CPU.
//
// Only the bindings of imports are marked: esbuild prints every import of a
// file as a top-level `var import_x = require("m")` (or
// `__toESM(require("m"))`), and its uses as import_x.name(...),
// import_x.default.name(...) or (0, import_x.name)(...); a CommonJS script's
// top-level `const http = require("m")` is marked too. A script that shadows
// such a name, or replaces the function (http.get = ...), calls what it
// wrote: the check is of the function's identity, when the call runs.

// droppingModules are the built-in modules with functions that make less work
// of a dropped result (they register them, bindings.DroppedCalls).
var droppingModules = map[string]bool{"jsload/http": true, "k6/http": true}

// dropParam is the name of the module wrapper's parameter that marked calls
// go through (see moduleWrapperHead).
const dropParam = "__jsload_drop"

// markDropped rewrites the calls of imported modules' functions whose result
// prog's statements drop (see above), and reports whether there were any; prog
// is a module's wrapper function as compiled from esbuild's output.
func markDropped(prog *ast.Program) bool {
	body := wrapperBody(prog)
	if body == nil {
		return false
	}
	imports := map[unistring.String]bool{}
	for _, st := range body {
		var list []*ast.Binding
		switch decl := st.(type) {
		case *ast.VariableStatement:
			list = decl.List
		case *ast.LexicalDeclaration:
			list = decl.List
		}
		for _, b := range list {
			if id, ok := b.Target.(*ast.Identifier); ok && isRequire(b.Initializer) {
				imports[id.Name] = true
			}
		}
	}
	if len(imports) == 0 {
		return false
	}
	marked := false
	walkAST(reflect.ValueOf(body), func(st *ast.ExpressionStatement) {
		marked = markCall(st.Expression, imports) || marked
	})
	return marked
}

// wrapperBody returns the statements of the module wrapper function, the only
// statement of prog, or nil.
func wrapperBody(prog *ast.Program) []ast.Statement {
	if len(prog.Body) != 1 {
		return nil
	}
	st, ok := prog.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	fn, ok := st.Expression.(*ast.FunctionLiteral)
	if !ok || fn.Body == nil {
		return nil
	}
	return fn.Body.List
}

// isRequire reports whether e is require("m") or __toESM(require("m")) of a
// module in droppingModules.
func isRequire(e ast.Expression) bool {
	call, ok := e.(*ast.CallExpression)
	if !ok || len(call.ArgumentList) < 1 {
		return false
	}
	callee, ok := call.Callee.(*ast.Identifier)
	if !ok {
		return false
	}
	switch callee.Name {
	case "require":
		spec, ok := call.ArgumentList[0].(*ast.StringLiteral)
		return ok && len(call.ArgumentList) == 1 && droppingModules[spec.Value.String()]
	case "__toESM":
		return isRequire(call.ArgumentList[0])
	}
	return false
}

// markCall rewrites e, a statement's expression, when it is a call of an
// imported module's function (or `void` of one), and reports whether it did.
func markCall(e ast.Expression, imports map[unistring.String]bool) bool {
	if u, ok := e.(*ast.UnaryExpression); ok && u.Operator == token.VOID {
		e = u.Operand
	}
	call, ok := e.(*ast.CallExpression)
	if !ok {
		return false
	}
	callee := call.Callee
	if seq, ok := callee.(*ast.SequenceExpression); ok && len(seq.Sequence) == 2 {
		if _, zero := seq.Sequence[0].(*ast.NumberLiteral); zero {
			callee = seq.Sequence[1] // (0, import_x.name)(...): called without this
		}
	}
	dot, ok := callee.(*ast.DotExpression)
	if !ok || !isImport(dot.Left, imports) {
		return false
	}
	at := dot.Identifier.Idx
	dot.Left = &ast.CallExpression{
		Callee:           &ast.Identifier{Name: dropParam, Idx: dot.Left.Idx0()},
		ArgumentList:     []ast.Expression{dot.Left, &ast.StringLiteral{Idx: at, Literal: `"` + string(dot.Identifier.Name) + `"`, Value: dot.Identifier.Name}},
		LeftParenthesis:  at,
		RightParenthesis: at,
	}
	return true
}

// isImport reports whether e is import_x or import_x.default for an import.
func isImport(e ast.Expression, imports map[unistring.String]bool) bool {
	if d, ok := e.(*ast.DotExpression); ok && d.Identifier.Name == "default" {
		e = d.Left
	}
	id, ok := e.(*ast.Identifier)
	return ok && imports[id.Name]
}

var exprStatementType = reflect.TypeFor[*ast.ExpressionStatement]()

// walkAST calls fn on every expression statement under v, a node or a slice
// or interface of nodes, at any depth (inside functions, classes, blocks),
// once. goja's ast has no walker; this one goes through the fields by
// reflection, so that it reaches every kind of node, the new ones of a later
// goja too. It skips the DeclarationList of functions and static blocks: the
// parser lists there the var declarations that are in their bodies too, and
// walking both would take time exponential in the nesting of functions in
// var initializers.
func walkAST(v reflect.Value, fn func(*ast.ExpressionStatement)) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			walkAST(v.Elem(), fn)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return
		}
		if v.Type() == exprStatementType {
			fn(v.Interface().(*ast.ExpressionStatement))
		}
		walkAST(v.Elem(), fn)
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if f := v.Field(i); f.CanInterface() && t.Field(i).Name != "DeclarationList" {
				walkAST(f, fn)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkAST(v.Index(i), fn)
		}
	}
}

// dropFunc returns the runtime's __jsload_drop (see above), made once.
func (r *scriptRuntime) dropFunc() goja.Value {
	if r.dropFn == nil {
		r.dropFn = r.rt.ToValue(func(call goja.FunctionCall) goja.Value {
			x := call.Argument(0)
			if o, ok := x.(*goja.Object); ok && len(r.droppers) > 0 {
				name := call.Argument(1).String()
				if fn, ok := o.Get(name).(*goja.Object); ok {
					for _, variant := range r.droppers {
						if v := variant(fn, name); v != nil {
							return v
						}
					}
				}
			}
			return x
		})
	}
	return r.dropFn
}

// OnDropped implements bindings.DroppedCalls.
func (r *scriptRuntime) OnDropped(variant func(fn *goja.Object, name string) *goja.Object) {
	r.droppers = append(r.droppers, variant)
}
