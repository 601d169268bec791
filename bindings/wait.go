package bindings

import (
	"context"
	"errors"
	"time"

	"github.com/dop251/goja"
)

// Await blocks until ch delivers a value (returned, with true), until timeout
// elapses (false and a nil error; a timeout ≤ 0 waits without limit) or until ctx
// ends (false and context.Cause(ctx)). It is the one place where the optional
// timeout of a blocking call becomes a timer; a nil ch waits for the timeout or
// ctx only.
func Await[T any](ctx context.Context, ch <-chan T, timeout time.Duration) (T, bool, error) {
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	var zero T
	select {
	case v := <-ch:
		return v, true, nil
	case <-expired:
		return zero, false, nil
	case <-ctx.Done():
		return zero, false, context.Cause(ctx)
	}
}

// WaitFailed ends a blocking binding whose wait returned err: when ctx was cancelled
// the runtime is interrupted (the script stops at once, uncatchably); a timeout is
// thrown as a TimeoutError; anything else as an Error.
func WaitFailed(h Host, ctx context.Context, err error) goja.Value {
	rt := h.Goja()
	if ctx.Err() != nil {
		rt.Interrupt(context.Cause(ctx))
		return goja.Undefined()
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		ThrowTyped(rt, "TimeoutError", err)
	}
	Throw(rt, err)
	return goja.Undefined()
}
