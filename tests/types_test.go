package tests

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	k6bind "github.com/jsload/jsload/bindings/k6"
	"github.com/jsload/jsload/jsruntime"
)

// TestTypeDeclarations checks types/jsload.d.ts: it parses as TypeScript and
// declares every global and built-in module jsload defines.
func TestTypeDeclarations(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../types/jsload.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	dts := string(data)
	res := api.Transform(dts, api.TransformOptions{Loader: api.LoaderTS, Sourcefile: "jsload.d.ts"})
	for _, m := range res.Errors {
		t.Errorf("jsload.d.ts:%d:%d: %s", m.Location.Line, m.Location.Column+1, m.Text)
	}
	for _, name := range jsruntime.GlobalNames() {
		switch {
		case slices.Contains([]string{"console", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "performance"}, name):
			continue // declared by TypeScript's own libraries
		case slices.Contains(k6bind.GlobalNames(), name):
			continue // k6's globals: k6's own declarations (@types/k6) have them
		}
		decl := regexp.MustCompile(`declare (function|var) ` + regexp.QuoteMeta(name) + `\b`)
		if !decl.MatchString(dts) {
			t.Errorf("jsload.d.ts does not declare the global %s", name)
		}
	}
	for _, name := range jsruntime.APINames() {
		if export := "export const " + name + ": typeof globalThis." + name + ";"; !strings.Contains(dts, export) {
			t.Errorf("jsload.d.ts: module 'jsload' does not export %s", name)
		}
	}
	for _, mod := range jsruntime.BuiltinModules() {
		if mod == "k6" || strings.HasPrefix(mod, "k6/") {
			continue // k6's modules: k6's own declarations (@types/k6) have them
		}
		if !regexp.MustCompile(`declare module '` + regexp.QuoteMeta(mod) + `'`).MatchString(dts) {
			t.Errorf("jsload.d.ts does not declare the module %s", mod)
		}
	}
}
