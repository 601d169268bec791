package http

import (
	"context"
	"errors"
	"net/http/httptrace"
	"sync"
	"time"
)

// deadline is a tracer's per-request context and timeout. The request context
// (the caller's, cancellable, with the tracer's hooks) is made once per caller's
// context and serves every request until it is cancelled, so a request with the
// usual params makes no context; its timeout is one timer, re-armed rather than
// made per request.
type deadline struct {
	parent context.Context // the caller's context ctx was made for
	ctx    context.Context // parent, cancellable, with the hooks
	cancel context.CancelCauseFunc
	owner  *ctxOwner // releases ctx from parent when the tracer is collected

	// The timer runs expire; it is not stopped between requests but re-armed by
	// expire while the next timeout is still ahead, so a request with the usual
	// timeout touches no timer. mu guards the fields below and makes cancelling
	// atomic with the check that the timeout is the current request's.
	timer   *time.Timer
	mu      sync.Mutex
	armed   bool  // a request with a timeout is in flight
	due     int64 // when its timeout elapses
	timerAt int64 // when the timer fires; 0 when it is not pending
}

// ctxOwner holds the cancel function of a tracer's current request context,
// apart from the tracer: the context is registered with its parent (the VU's
// long-lived context) until cancelled, and must not keep a forgotten tracer
// alive (newTracer cancels it when the tracer is collected).
type ctxOwner struct {
	mu     sync.Mutex
	cancel context.CancelCauseFunc
}

func (o *ctxOwner) set(cancel context.CancelCauseFunc) {
	o.mu.Lock()
	old := o.cancel
	o.cancel = cancel
	o.mu.Unlock()
	if old != nil {
		old(context.Canceled)
	}
}

// errTimeout is the cause of a request's context cancelled by its timeout.
var errTimeout = errors.New("request timeout")

// init makes the timer, stopped.
func (d *deadline) init() {
	d.owner = &ctxOwner{}
	d.timer = time.AfterFunc(time.Hour, d.expire)
	d.timer.Stop()
}

// context returns the context of the next request: parent, cancellable by the
// request's timeout, carrying t's hooks. Called between requests only.
func (t *tracer) context(parent context.Context) context.Context {
	d := &t.deadline
	if parent != d.parent || d.ctx == nil || d.ctx.Err() != nil {
		var ctx context.Context
		ctx, d.cancel = context.WithCancelCause(parent)
		d.parent, d.ctx = parent, httptrace.WithClientTrace(ctx, &t.trace)
		d.owner.set(d.cancel) // the previous context is released
	}
	return d.ctx
}

// arm starts the timeout d of the request in flight, whose context is the one
// context returned last.
func (d *deadline) arm(timeout time.Duration) {
	d.mu.Lock()
	d.armed, d.due = true, now()+int64(timeout)
	if d.timerAt == 0 || d.timerAt > d.due {
		d.timerAt = d.due
		d.timer.Reset(timeout)
	}
	d.mu.Unlock()
}

// disarm ends the timeout of the request in flight. The timer stays pending:
// the next request's timeout will most often use it.
func (d *deadline) disarm() {
	d.mu.Lock()
	d.armed = false
	d.mu.Unlock()
}

// expire cancels the request in flight if its timeout has elapsed, or waits
// again until it will have. It runs on the timer's goroutine.
func (d *deadline) expire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.timerAt = 0
	if !d.armed {
		return
	}
	if left := d.due - now(); left > 0 {
		d.timerAt = d.due
		d.timer.Reset(time.Duration(left))
		return
	}
	d.armed = false
	d.cancel(errTimeout)
}
