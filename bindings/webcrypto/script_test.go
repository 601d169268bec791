package webcrypto_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/jsruntime/jstest"
)

// TestJS runs every exported function named test* of the scripts in testdata, each
// in a VU of its own; they throw or reject on failure.
func TestJS(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"vectors.js", "roundtrip.js", "errors.js", "random.js"} {
		t.Run(strings.TrimSuffix(file, ".js"), func(t *testing.T) {
			t.Parallel()
			jstest.RunExports(t, filepath.Join("testdata", file), "test")
		})
	}
}
