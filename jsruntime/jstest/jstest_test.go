package jstest_test

import (
	"context"
	"errors"
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestAssert runs assert.js's own checks (testdata/assert.js throws on failure).
func TestAssert(t *testing.T) {
	t.Parallel()
	if err := jstest.NewVU(t, "testdata/assert.js").Run(context.Background(), "asserts"); err != nil {
		t.Fatal(err)
	}
}

// TestFailureLocation: a failed assertion is located where the test script
// calls it, not inside assert.js.
func TestFailureLocation(t *testing.T) {
	t.Parallel()
	err := jstest.NewVU(t, "testdata/assert.js").Run(context.Background(), "failsHere")
	var se *jsruntime.ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a ScriptError", err)
	}
	if se.Msg != "Error: located: got 1, want 2" || se.Location != "testdata/assert.js:36:6" {
		t.Errorf("got %q at %q, want %q at %q", se.Msg, se.Location, "Error: located: got 1, want 2", "testdata/assert.js:36:6")
	}
}

// TestRunVUsBuildsAllFirst: when the first VU runs, every VU has been built
// (each one's top level counts itself in the test-wide store).
func TestRunVUsBuildsAllFirst(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/assert.js")
	for i, err := range tt.RunVUs(context.Background(), 8, "allBuilt", jstest.Env(map[string]string{"N": "8"})) {
		if err != nil {
			t.Errorf("VU %d: %v", i+1, err)
		}
	}
}
