package jsruntime

import "context"

// What the tests of package jsruntime_test (which build VUs with jstest, a
// package that imports this one) read or do inside a VU.

// BackgroundStatus is the status of the VU's background script id.
func BackgroundStatus(vu *VU, id string) (string, error) { return vu.bg.status(id) }

// BackgroundCause is the cause the context of the VU's background script id was
// cancelled with: nil while it may still run, context.Canceled once it returned
// by itself.
func BackgroundCause(vu *VU, id string) (error, error) {
	s, err := vu.bg.lookup(id)
	if err != nil {
		return nil, err
	}
	return context.Cause(s.ctx), nil
}

// InterruptMain binds ctx to the VU's main runtime and interrupts it with cause,
// as the context's AfterFunc does when ctx is cancelled: the next JavaScript the
// runtime runs is interrupted.
func InterruptMain(vu *VU, ctx context.Context, cause error) {
	vu.main.bind(ctx)
	vu.main.rt.Interrupt(cause)
}

// The causes background scripts are cancelled with, by trigger.
var (
	ErrStoppedNow      = errStoppedNow
	ErrStopTimeout     = errStopTimeout
	ErrCreatorReturned = errCreatorReturned
	ErrIterationEnded  = errIterationEnded
	ErrVUEnded         = errVUEnded
	ErrReloaded        = errReloaded
	ErrBrowserClosed   = errBrowserClosed
)
