package rendezvous

import (
	"context"
)

// Backend runs the rendezvous points of a test. The in-process Points are the
// default; a distributed test installs its coordinator's (package coord), so
// that a wave gathers the VUs of every instance. Safe for concurrent use.
type Backend interface {
	// Arrive adds the caller to the open wave of the point called name
	// (created with o on first use; o is valid) and blocks until the wave is
	// released or ctx ends, as Point.Arrive; running reports this instance's
	// running VUs (in the test, or o.Group), for percent. Errors other than
	// ctx's are ErrUnknownRunning, a bad name, or the backend's own.
	Arrive(ctx context.Context, name string, o Options, running func() int64) (Result, error)
}

// Arrive implements Backend: the point called name, then Point.Arrive.
func (ps *Points) Arrive(ctx context.Context, name string, o Options, running func() int64) (Result, error) {
	p, err := ps.Get(name, o)
	if err != nil {
		return Result{}, err
	}
	return p.Arrive(ctx, running)
}

// TestLocals is where a test keeps its test-wide values: jsruntime.TestState,
// or a bindings.Host.
type TestLocals interface {
	TestLocal(key any, create func() any) any
}

// Install makes b the rendezvous points of the test whose values tl holds.
// Call it before any runtime of the test is built.
func Install(tl TestLocals, b Backend) { tl.TestLocal(pointsKey{}, func() any { return b }) }
