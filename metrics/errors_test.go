package metrics

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
)

func TestNewExportError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		msg  string
		want ExportError
	}{
		{"Error: odd one out at tests/testdata/throws.js:4:44", ExportError{"tests/testdata/throws.js:4:44", "Error: odd one out", 1}},
		{"TypeError: x is undefined at lib/api.js:12:7(33)\n\tat default (main.js:3:1(4))", ExportError{"lib/api.js:12:7", "TypeError: x is undefined", 1}},
		{"setup() failed: boom", ExportError{"", "setup() failed: boom", 1}},
		{"GET http://127.0.0.1:1/x: connection refused", ExportError{"", "GET http://127.0.0.1:1/x: connection refused", 1}},
	}
	for _, tt := range tests {
		if got := NewExportError(tt.msg, 1); got != tt.want {
			t.Errorf("NewExportError(%q) = %+v, want %+v", tt.msg, got, tt.want)
		}
	}
}

// TestWriteErrorsGolden: 300 distinct messages over 14 locations print one
// block with a header, grouped by location with counts, capped.
func TestWriteErrorsGolden(t *testing.T) {
	t.Parallel()
	var errs []ExportError
	for i := range 300 {
		msg := fmt.Sprintf("Error: item %d not found at lib/item%d.js:%d:5", i, i%14, 10+i%14)
		errs = append(errs, NewExportError(msg, 1+i%4))
	}
	errs = append(errs, NewExportError("setup() failed: no token", 2))
	var buf bytes.Buffer
	if err := WriteErrors(&buf, errs); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n > 60 {
		t.Errorf("the errors block has %d lines, want at most 60", n)
	}
	golden(t, filepath.Join("testdata", "errors.golden"), buf.Bytes())

	buf.Reset()
	if err := WriteErrors(&buf, nil); err != nil || buf.Len() != 0 {
		t.Errorf("no errors: wrote %q, %v", buf.String(), err)
	}
}

func TestMergeExportsAddErrors(t *testing.T) {
	t.Parallel()
	r := runFixture(t)
	a, b := NewExport(r.Totals(), nil), NewExport(r.Totals(), nil)
	a.Errors = []ExportError{{"a.js:1:1", "boom", 2}, {"", "refused", 1}}
	b.Errors = []ExportError{{"a.js:1:1", "boom", 3}, {"b.js:2:2", "bang", 1}}
	m, err := MergeExports(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []ExportError{{"a.js:1:1", "boom", 5}, {"", "refused", 1}, {"b.js:2:2", "bang", 1}}
	if fmt.Sprint(m.Errors) != fmt.Sprint(want) {
		t.Errorf("merged errors %v, want %v", m.Errors, want)
	}
}
