package background_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestScripts runs the scenarios of testdata/: each function throws when a call
// or an option misbehaves.
func TestScripts(t *testing.T) {
	t.Parallel()
	tests := []struct{ script, fn string }{
		{"background.js", "basics"},
		{"background.js", "justCreate"},
		{"background.js", "immediate"},
		{"background.js", "requestEndsWaits"},
		{"background.js", "faulted"},
		{"background.js", "errors"},
		{"background.js", "relativeToCaller"},
		{"background.js", "syncPoints"},
		{"background.js", "createAndStop"},
		{"background.js", "interruptedExport"},
		{"dictmodes.js", "modes"},
	}
	for _, tc := range tests {
		t.Run(tc.script+"/"+tc.fn, func(t *testing.T) {
			t.Parallel()
			vu := jstest.NewVU(t, "testdata/"+tc.script)
			// The deadline only ends a scenario that would hang.
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			if err := vu.Run(ctx, tc.fn); err != nil {
				t.Fatal(err)
			}
		})
	}
}
