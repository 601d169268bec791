package fs_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestScripts(t *testing.T) {
	t.Parallel()
	jstest.RunExports(t, "testdata/fs.js", "test")
}
