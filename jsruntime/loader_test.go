package jsruntime_test

import (
	"context"
	"time"

	"errors"
	"github.com/jsload/jsload/jsruntime/jstest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/jsruntime"
)

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  string // substring of the error, after the file name
	}{
		{"syntax", map[string]string{"main.js": "export default function () {\n  let x = ;\n}\n"},
			`main.js:2:11: Unexpected ";"`},
		{"ts syntax", map[string]string{"main.ts": "const a: number = ;\n"},
			`main.ts:1:19: Unexpected ";"`},
		{"missing import", map[string]string{"main.js": "import { f } from './nope.js';\nexport default function () {}\n"},
			`main.js:1:19: cannot import "./nope.js"`},
		{"unknown builtin", map[string]string{"main.js": "\nimport pad from 'left-pad';\nexport default function () {}\n"},
			`main.js:2:17: unknown module "left-pad"`},
		{"unknown k6 module", map[string]string{"main.js": "import x from 'k6/nope';\nexport default function () {}\n"},
			`main.js:1:15: cannot import "k6/nope": unknown k6 module k6/nope`},
		{"error in import", map[string]string{"main.js": "import './lib.js';\nexport default function () {}\n", "lib.js": "let x = ;\n"},
			`lib.js:1:9:`},
		{"missing script", map[string]string{}, `does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			main := filepath.Join(dir, "main.js")
			for name, src := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				if strings.HasPrefix(name, "main.") {
					main = filepath.Join(dir, name)
				}
			}
			_, err := jsruntime.Load(main, jsruntime.BuiltinModules())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want an error containing %q", err, tt.want)
			}
			var se *jsruntime.SourceError
			if tt.name != "missing script" && (!errors.As(err, &se) || !strings.Contains(err.Error(), "^")) {
				t.Errorf("error %q should be a SourceError with the line and a caret", err)
			}
		})
	}
}

// TestModulesCompiledOnce loads a script whose two imports share a third module and
// expects one compiled module per file.
func TestModulesCompiledOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"main.js": "import './a.js';\nimport './b.js';\nexport default function () {}\n",
		"a.js":    "import { x } from './c';\nexport const a = x;\n",
		"b.js":    "const { x } = require('./c.js');\nmodule.exports = { b: x };\n",
		"c.ts":    "export const x: number = 1;\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := jsruntime.Load(filepath.Join(dir, "main.js"), jsruntime.BuiltinModules())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(p.Files()); got != 4 {
		t.Errorf("compiled %d files (%v), want 4", got, p.Files())
	}
}

// loadBounded loads like jsruntime.Load, failing t if the load does not end:
// a cycle once deadlocked the loader.
func loadBounded(t *testing.T, path string, sources ...jsruntime.Source) (*jsruntime.Program, error) {
	t.Helper()
	type loaded struct {
		p   *jsruntime.Program
		err error
	}
	done := make(chan loaded, 1)
	go func() {
		p, err := jsruntime.Load(path, jsruntime.BuiltinModules(), sources...)
		done <- loaded{p, err}
	}()
	select {
	case l := <-done:
		return l.p, l.err
	case <-time.After(time.Minute): // only against a hang
		t.Fatalf("loading %s did not end", path)
		return nil, nil
	}
}

// TestImportCycles loads and runs modules that import each other (ES modules,
// CommonJS, a library folder): see testdata/cycle/main.js.
func TestImportCycles(t *testing.T) {
	t.Parallel()
	if _, err := loadBounded(t, "testdata/cycle/main.js", jsruntime.Source{Name: jstest.AssertModule, Text: "export const eq = 1;"}); err != nil {
		t.Fatal(err)
	}
	jstest.RunExports(t, "testdata/cycle/main.js", "test")
}

// TestSourceCycle loads two in-memory modules that import each other.
func TestSourceCycle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	main := filepath.Join(dir, "main.js")
	src := "import { one } from 'lib/one';\nexport default function () { return one(); }\n"
	if err := os.WriteFile(main, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := loadBounded(t, main,
		jsruntime.Source{Name: "lib/one", Text: "import { two } from 'lib/two';\nexport function one() { return 'one' + two(); }\nexport const name = 'one';\n"},
		jsruntime.Source{Name: "lib/two", Text: "import { name } from 'lib/one';\nexport function two() { return ' and two, after ' + name; }\n"})
	if err != nil {
		t.Fatal(err)
	}
	vu := jstest.NewProgram(p).NewVU(t)
	if err := vu.Run(context.Background(), "default"); err != nil {
		t.Fatal(err)
	}
}

// TestHelperForms runs the module forms that keep some of esbuild's helpers
// (re-exports, a CommonJS default import, class fields, object spread): see
// testdata/helpers/main.js and TestHelpersBlanked.
func TestHelperForms(t *testing.T) {
	t.Parallel()
	jstest.RunExports(t, "testdata/helpers/main.js", "test")
}
