package webapi_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestJS(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"encoding.js", "base64.js", "clone.js", "microtask.js", "url.js", "buffer.js", "domexception.js"} {
		t.Run(strings.TrimSuffix(file, ".js"), func(t *testing.T) {
			t.Parallel()
			jstest.RunExports(t, filepath.Join("testdata", file), "test")
		})
	}
}
