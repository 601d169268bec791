package jsruntime

import (
	"context"
	"errors"
	"testing"

	"github.com/jsload/jsload/metrics"
)

// TestInterruptDuringExportLookup interrupts the runtime before an export is looked
// up: the getter esbuild made for it is interrupted, the lookup fails instead of
// panicking, and the VU runs normally afterwards.
func TestInterruptDuringExportLookup(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "busy.js"), ThinkTimeFactor: 1}
	vu := newTestVU(t, s, 1)
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("stop")
	cancel(cause)
	vu.main.bind(ctx)
	vu.main.rt.Interrupt(cause) // what the context's AfterFunc does, before the lookup
	if fn := vu.Func("nap"); fn != nil {
		t.Fatalf("Func returned a function while interrupted")
	}
	if err := vu.Run(context.Background(), FuncDefault); err != nil {
		t.Fatalf("the VU is not usable after an interrupted lookup: %v", err)
	}
}
