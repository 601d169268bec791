package jsruntime_test

import (
	"errors"
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
