package jsruntime

import (
	"os"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
)

// transformed is the code compile runs for src: esbuild's CommonJS output in the
// module wrapper, with the helpers blanked. It fails t if blanking moved a line.
func transformed(t *testing.T, src string) string {
	t.Helper()
	res := api.Transform(src, api.TransformOptions{Loader: api.LoaderJS, Format: api.FormatCommonJS, Target: api.ES2017,
		Banner: moduleWrapperHead, Footer: moduleWrapperTail, LogLevel: api.LogLevelSilent})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	code := blankHelpers(string(res.Code))
	if got, want := strings.Count(code, "\n"), strings.Count(string(res.Code), "\n"); got != want || len(code) != len(res.Code) {
		t.Errorf("blanking moved lines or columns: %d lines of %d bytes, from %d of %d", got, len(code), want, len(res.Code))
	}
	return code
}

// TestHelpersBlanked: an ES module that imports and exports evaluates none of
// esbuild's helpers (they cost each VU about 3 KiB), and one whose forms need
// some keeps exactly those. A new esbuild that prints a helper differently
// fails here rather than silently costing every VU again.
func TestHelpersBlanked(t *testing.T) {
	t.Parallel()
	plain := transformed(t, "import { sleep } from 'jsload';\nexport const options = { vus: 1 };\nexport default function () { sleep(1); }\n")
	if strings.Contains(plain, "var __") {
		t.Errorf("helpers left in a plain ES module:\n%s", plain)
	}

	src, err := os.ReadFile("testdata/helpers/main.js")
	if err != nil {
		t.Fatal(err)
	}
	code := transformed(t, string(src))
	for _, kept := range []string{"var __reExport", "var __toESM", "var __copyProps", "var __defProp ", "var __create", "var __publicField"} {
		if !strings.Contains(code, kept) {
			t.Errorf("%s was blanked, but testdata/helpers/main.js needs it", kept)
		}
	}
	for _, h := range esbuildLeftovers {
		if strings.Contains(code, h.text) && identCount(code, h.name) < 2 {
			t.Errorf("%s is kept but nothing refers to it", h.name)
		}
	}
}

func TestIdentCount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		code string
		want int
	}{
		{"__defProp(x); __defProp2(y); a__defProp; __defProp$; $__defProp", 1},
		{"var __defProp = 1;\n__defProp", 2},
		{"__defProp", 1},
		{"", 0},
	} {
		if got := identCount(c.code, "__defProp"); got != c.want {
			t.Errorf("identCount(%q) = %d, want %d", c.code, got, c.want)
		}
	}
}
