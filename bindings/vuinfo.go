package bindings

import (
	"sync/atomic"
	"time"

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
	// Run is the state of the run the VU is in, which k6/execution reads; nil
	// outside a scheduler's run (a VU built by a test).
	Run RunState

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

// RunState is what a VU can learn of the run it is in and of its group
// (k6/execution): the group's executor, start and progress, the test's counts
// and options. The scheduler implements it; every method is safe for
// concurrent use.
type RunState interface {
	// Executor is the name of the group's executor ("" for setup's VU).
	Executor() string
	// GroupStart is when the group started (zero before it has).
	GroupStart() time.Time
	// Progress is the share of the group done, from 0 to 1, for a VU whose
	// current iteration has the group-wide number inGroup.
	Progress(inGroup int64) float64
	// TestStart is when the test's groups started (zero before they have).
	TestStart() time.Time
	// Counts are the test's iterations and VUs so far.
	Counts() RunCounts
	// Options is the script's options as JSON, nil when it exports none.
	Options() []byte
}

// RunCounts are the counts of a run so far.
type RunCounts struct {
	IterationsCompleted   int64 // as of the last second's collection of metrics
	IterationsInterrupted int64
	VUsInitialized        int64
}
