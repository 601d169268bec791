package jsruntime

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jsload/jsload/bindings"
)

// loadTestdata compiles testdata/name.
func loadTestdata(tb testing.TB, name string) *Program {
	tb.Helper()
	p, err := Load(filepath.Join("testdata", name), BuiltinModules())
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return p
}

// newTestVU builds VU id of p on the calling goroutine.
func newTestVU(tb testing.TB, s *TestState, id int64) *VU {
	tb.Helper()
	vu, err := NewVU(context.Background(), s, &bindings.VUInfo{ID: id, IDInGroup: id, Group: "default", Env: map[string]string{"WHO": "tester"}}, nil)
	if err != nil {
		tb.Fatalf("new VU %d: %v", id, err)
	}
	tb.Cleanup(vu.Close)
	return vu
}
