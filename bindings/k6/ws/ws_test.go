package ws_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/cmd/jsload/demo"
	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestScripts runs the test* functions of testdata/k6ws.js against the demo.
func TestScripts(t *testing.T) {
	t.Parallel()
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	jstest.RunExports(t, "testdata/k6ws.js", "test", jstest.Env(map[string]string{"BASE_URL": srv.URL()}))
}
