package scheduler

import (
	"time"

	"github.com/jsload/jsload/jsruntime"
)

// Swap hot-reloads p into the running test: each VU switches to it at its next
// iteration boundary (see jsruntime.TestState.Swap). It returns the new generation's
// number. Safe from any goroutine while Run runs.
func (t *Test) Swap(p *jsruntime.Program) int { return t.shared.Swap(p) }

// OnGenerationLive sets the function told when every live VU runs a generation
// (before Run).
func (t *Test) OnGenerationLive(fn func(generation int, took time.Duration)) {
	t.shared.OnGenerationLive = fn
}
