package bindings

import (
	"context"
	"time"
)

// Background controls the background scripts of one VU (SPEC §2.3). Every method is
// safe to call from any runtime of the VU; the runtime calling is passed where it
// matters (it is the creator, or its context bounds a wait).
type Background interface {
	// Create makes a background script with a new runtime on a new goroutine and,
	// unless opts.JustCreate, starts it.
	Create(caller Host, id string, spec ScriptSpec, opts BackgroundOptions) error
	// Start starts a script made with JustCreate.
	Start(id string) error
	// RequestStop sets the flag stopRequested() reads in the script.
	RequestStop(id string) error
	// StopNow interrupts the script wherever it is.
	StopNow(id string) error
	// Wait blocks until the script has finished (true) or timeout elapsed (false;
	// 0 waits without limit); ctx ends the wait early with its cause.
	Wait(ctx context.Context, id string, timeout time.Duration) (bool, error)
	// Status is "created", "running", "completed", "canceled" or "faulted".
	Status(id string) (string, error)
	// Error is the message of a faulted script ("" otherwise).
	Error(id string) (string, error)
}

// ScriptSpec names what a background script runs: the default export of File (an
// absolute path), or the export Exec of the VU's main script.
type ScriptSpec struct {
	File string
	Exec string
}

// Stop criteria and modes of background scripts.
const (
	StopScript    = "script"
	StopIteration = "iteration"
	StopVU        = "vu"
	StopNever     = "never"

	StopModeRequest   = "request"
	StopModeImmediate = "immediate"

	DictShared  = "shared"
	DictCopy    = "copy"
	DictOverlay = "overlay"
)

// BackgroundOptions are the options of createBackgroundScript, validated.
type BackgroundOptions struct {
	JustCreate  bool
	Loop        bool
	Pause       time.Duration
	Stop        string // StopScript, StopIteration, StopVU (default) or StopNever
	StopMode    string // StopModeRequest (default) or StopModeImmediate
	StopTimeout time.Duration
	Dictionary  string // DictShared (default), DictCopy or DictOverlay
	Args        any    // a JSON-like value (FromJS); nil for none, as for args: null
}
