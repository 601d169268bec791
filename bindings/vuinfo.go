package bindings

import (
	"sync/atomic"

	"github.com/jsload/jsload/metrics"
)

// VUInfo describes one virtual user. It is shared by the VU's main runtime and all
// its background runtimes: the fixed fields are set before any runtime starts and
// never change; the iteration counters are atomics written by the main runtime's
// goroutine and read from any.
type VUInfo struct {
	// ID is the VU's number in the whole test, from 1.
	ID int64
	// IDInGroup is the VU's number inside its group, from 1.
	IDInGroup int64
	// Group is the name of the VU's group ("default" for the simple case).
	Group string
	// Env holds the -e KEY=VALUE pairs and the group's env, read as __ENV.
	Env map[string]string
	// Tags are the group's own tags (options.groups.<name>.tags), added to every
	// sample of the VU's runtimes.
	Tags metrics.Tags

	iteration        atomic.Int64
	iterationInGroup atomic.Int64
}

// Iteration returns the number of the VU's current iteration, from 0 (0 also
// during vuInit).
func (v *VUInfo) Iteration() int64 { return v.iteration.Load() }

// IterationInGroup returns the group-wide number of the current iteration where the
// executor numbers iterations across the group (shared iterations, arrival rates),
// otherwise the same as Iteration.
func (v *VUInfo) IterationInGroup() int64 { return v.iterationInGroup.Load() }

// SetIteration records the start of an iteration; called by the main runtime only.
func (v *VUInfo) SetIteration(it, inGroup int64) {
	v.iteration.Store(it)
	v.iterationInGroup.Store(inGroup)
}
