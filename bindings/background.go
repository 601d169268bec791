package bindings

import (
	"context"
	"time"
)

// Background controls the background scripts of one VU (README: "Background
// scripts") as one of the VU's runtimes sees them: the scripts it creates have
// that runtime as their creator (they run its generation of the script, and use
// its dictionary by the dictionary mode). Every method is safe to call from any
// runtime of the VU.
type Background interface {
	// Create makes a background script with a new runtime on a new goroutine and,
	// unless opts.JustCreate, starts it.
	Create(id string, spec ScriptSpec, opts BackgroundOptions) error
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

// BackgroundOptions are the options of createBackgroundScript, validated. The zero
// value of each typed field is the default of its option.
type BackgroundOptions struct {
	JustCreate  bool
	Loop        bool
	Pause       time.Duration
	Stop        StopScope
	StopMode    StopMode
	StopTimeout time.Duration
	Dictionary  DictMode
	Args        any // a JSON-like value (FromJS); nil for none, as for args: null
}

// StopScope says when a background script stops without being asked to: the
// stop option. Whatever its scope, no script outlives its VU. jsruntime's
// background.go has the table of what ends each scope, with the causes.
type StopScope uint8

// The stop scopes.
const (
	StopWithVU        StopScope = iota // 'vu' (default): when the VU ends; one vuInit creates, with vuInit's browser (newBrowserEachIteration)
	StopWithCreator                    // 'script': when the function that created it returns
	StopWithIteration                  // 'iteration': when the VU's current iteration ends
	StopNever                          // 'never': only when asked (and, as every script, when the VU ends)
)

// String returns the scope as scripts write it.
func (s StopScope) String() string { return [...]string{"vu", "script", "iteration", "never"}[s] }

// StopMode says how a background script is stopped: the stopMode option.
type StopMode uint8

// The stop modes.
const (
	StopByRequest   StopMode = iota // 'request' (default): set its stop flag; after stopTimeout, stop it at once
	StopImmediately                 // 'immediate': interrupt it wherever it is
)

// String returns the mode as scripts write it.
func (m StopMode) String() string { return [...]string{"request", "immediate"}[m] }

// DictMode says which data dictionary a background script reads and writes: the
// dictionary option.
type DictMode uint8

// The dictionary modes.
const (
	DictByReference DictMode = iota // 'shared' (default): its creator's dictionary itself
	DictCopy                        // 'copy': its own copy of the keys its creator has at creation; other keys read through until it writes them
	DictOverlay                     // 'overlay': reads fall through to its creator's until it writes a key; its writes stay its own
)

// String returns the mode as scripts write it.
func (m DictMode) String() string { return [...]string{"shared", "copy", "overlay"}[m] }
