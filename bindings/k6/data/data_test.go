package data_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestScripts(t *testing.T) {
	t.Parallel()
	jstest.RunExports(t, "testdata/data.js", "test")
}

// TestBuiltOnce: of VUs built at once, exactly one runs the array's function;
// all read the same elements.
func TestBuiltOnce(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/data.js")
	built := make([]bool, 8)
	errs := tt.InVUs(len(built), func(i int, vu *jsruntime.VU) error {
		_, built[i] = vu.Dict.Get("built")
		return vu.Run(context.Background(), "testRead")
	})
	n := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("VU %d: %v", i, err)
		}
		if built[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d VUs ran the SharedArray's function, want 1", n)
	}
}
