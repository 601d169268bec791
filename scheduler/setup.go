package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jsload/jsload/jsruntime"
)

// DefaultSetupTimeout and DefaultTeardownTimeout bound setup() and teardown()
// unless options.setupTimeout and options.teardownTimeout say otherwise (k6's
// names and defaults).
const (
	DefaultSetupTimeout    = 60 * time.Second
	DefaultTeardownTimeout = 60 * time.Second
)

// PhaseTimeoutError is the cause of a run aborted because setup() or teardown()
// did not finish within its timeout.
type PhaseTimeoutError struct {
	Func    string        // "setup" or "teardown"
	Option  string        // "setupTimeout" or "teardownTimeout"
	Timeout time.Duration // the limit it ran into
}

// Error implements error.
func (e *PhaseTimeoutError) Error() string {
	return fmt.Sprintf("%s() did not finish within its %s of %s: it was interrupted; make it faster or raise options.%s",
		e.Func, e.Option, e.Timeout, e.Option)
}

// callPhase runs setup() or teardown() (fn) with the JSON argument in, under its
// timeout. A timeout aborts the run with a *PhaseTimeoutError, so the results so
// far are still written; the error returned is then that cause.
func (t *Test) callPhase(fn string, in []byte) ([]byte, error) {
	te := &PhaseTimeoutError{Func: fn, Option: fn + "Timeout"}
	if fn == jsruntime.FuncSetup {
		te.Timeout = cmp.Or(ptrValue(t.Options.SetupTimeout), DefaultSetupTimeout)
	} else {
		te.Timeout = cmp.Or(ptrValue(t.Options.TeardownTimeout), DefaultTeardownTimeout)
	}
	ctx, cancel := context.WithTimeoutCause(t.abortCtx, te.Timeout, te)
	defer cancel()
	out, err := t.initVU.CallJSON(ctx, fn, in)
	if err != nil && errors.Is(err, te) && t.abortCtx.Err() == nil {
		t.Abort(te)
	}
	return out, err
}

func ptrValue[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
