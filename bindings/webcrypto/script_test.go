package webcrypto_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

func load(t *testing.T, file string) *jsruntime.Shared {
	t.Helper()
	p, err := jsruntime.Load(filepath.Join("testdata", file), jsruntime.BuiltinModules())
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	return &jsruntime.Shared{Program: p, Metrics: metrics.NewRegistry(), ThinkTimeFactor: 1}
}

func newVU(t *testing.T, s *jsruntime.Shared) *jsruntime.VU {
	t.Helper()
	vu, err := jsruntime.NewVU(context.Background(), s, &bindings.VUInfo{ID: 1, IDInGroup: 1, Group: "default"}, nil)
	if err != nil {
		t.Fatalf("new VU: %v", err)
	}
	t.Cleanup(vu.Close)
	return vu
}

// TestJS runs every exported function named test* of the scripts in testdata, each
// in a VU of its own; they throw or reject on failure.
func TestJS(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"vectors.js", "roundtrip.js", "errors.js", "random.js"} {
		t.Run(strings.TrimSuffix(file, ".js"), func(t *testing.T) {
			t.Parallel()
			s := load(t, file)
			ran := 0
			for _, name := range newVU(t, s).Exports() {
				if !strings.HasPrefix(name, "test") {
					continue
				}
				ran++
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					if err := newVU(t, s).Run(context.Background(), name); err != nil {
						t.Error(err)
					}
				})
			}
			if ran == 0 {
				t.Fatalf("%s exports no test function", file)
			}
		})
	}
}
