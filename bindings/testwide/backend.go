package testwide

import (
	"context"
	"time"
)

// Backend serves the `shared` store of a test. The in-process Store (Local) is
// the default; a distributed test installs its coordinator's (package coord),
// so that every instance sees one store. Values are JSON-like Go values (nil,
// bool, int64, float64, string, []any, map[string]any), copied in and out.
// Every method is safe for concurrent use and honours ctx where it may block
// or reach the network. Errors are either the store's own (a non-number to
// increment: the same messages as Store's) or the backend's (unreachable).
type Backend interface {
	// Get returns the value under key and whether there is one.
	Get(ctx context.Context, key string) (any, bool, error)
	// Set stores v under key; nil removes the key.
	Set(ctx context.Context, key string, v any) error
	// Increment adds by (int64 or float64) to the number under key
	// atomically and returns the new value, as Store.Increment.
	Increment(ctx context.Context, key string, by any) (any, error)
	// Push appends v to the list called name.
	Push(ctx context.Context, name string, v any) error
	// Pop removes the oldest value of the list, waiting up to timeout (0: no
	// limit) for one, as Store.Pop: every value is popped exactly once.
	Pop(ctx context.Context, name string, timeout time.Duration) (any, bool, error)
	// Size returns the number of values in the list.
	Size(ctx context.Context, name string) (int, error)
}

// Local is the in-process Backend: a Store.
func Local(s *Store) Backend { return local{s} }

type local struct{ s *Store }

func (l local) Get(_ context.Context, key string) (any, bool, error) {
	v, ok := l.s.Get(key)
	return v, ok, nil
}

func (l local) Set(_ context.Context, key string, v any) error {
	l.s.Set(key, v)
	return nil
}

func (l local) Increment(_ context.Context, key string, by any) (any, error) {
	return l.s.Increment(key, by)
}

func (l local) Push(_ context.Context, name string, v any) error {
	l.s.Push(name, v)
	return nil
}

func (l local) Pop(ctx context.Context, name string, timeout time.Duration) (any, bool, error) {
	return l.s.Pop(ctx, name, timeout)
}

func (l local) Size(_ context.Context, name string) (int, error) { return l.s.Size(name), nil }

// TestLocals is where a test keeps its test-wide values: jsruntime.TestState,
// or a bindings.Host.
type TestLocals interface {
	TestLocal(key any, create func() any) any
}

// Install makes b the `shared` store of the test whose values tl holds. Call it
// before any runtime of the test is built; afterwards the first store used
// stays.
func Install(tl TestLocals, b Backend) { tl.TestLocal(storeKey{}, func() any { return b }) }

// Add returns a + b as Increment computes it (a the stored value, b the
// increment), or the error Increment gives for them: for backends that keep
// Store's rules and messages.
func Add(a, b any) (any, error) { return add(a, b) }
