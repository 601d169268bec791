package webapi_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// runJS runs every exported function of testdata/file whose name starts with
// "test", each in a VU of its own; the functions throw (or reject) on failure.
func runJS(t *testing.T, file string) {
	t.Helper()
	p, err := jsruntime.Load(filepath.Join("testdata", file), jsruntime.BuiltinModules())
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	s := &jsruntime.Shared{Program: p, Metrics: metrics.NewRegistry(), ThinkTimeFactor: 1}
	names := newVU(t, s, 1).Exports()
	ran := 0
	for _, name := range names {
		if !strings.HasPrefix(name, "test") {
			continue
		}
		ran++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := newVU(t, s, 1).Run(context.Background(), name); err != nil {
				t.Error(err)
			}
		})
	}
	if ran == 0 {
		t.Fatalf("%s exports no test function", file)
	}
}

func newVU(t *testing.T, s *jsruntime.Shared, id int64) *jsruntime.VU {
	t.Helper()
	vu, err := jsruntime.NewVU(context.Background(), s, &bindings.VUInfo{ID: id, IDInGroup: id, Group: "default"}, nil)
	if err != nil {
		t.Fatalf("new VU: %v", err)
	}
	t.Cleanup(vu.Close)
	return vu
}

func TestJS(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"encoding.js", "base64.js", "clone.js", "microtask.js", "url.js", "buffer.js", "domexception.js"} {
		t.Run(strings.TrimSuffix(file, ".js"), func(t *testing.T) {
			t.Parallel()
			runJS(t, file)
		})
	}
}
