package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jsload/jsload/bindings/rendezvous"
	"github.com/jsload/jsload/bindings/testwide"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// Coordinator joins the instances of a distributed test, each running one
// segment (--coordinator; package coord implements it on a Redis-compatible
// server). The scheduler uses it at four points: it installs its shared store
// and rendezvous backends before any VU is built, watches for other instances'
// aborts during Run, waits at its start barrier once the VUs are initialised
// (all instances then start at one instant), and hands it each second's
// metrics. Its methods are safe for concurrent use. A coordinator that goes
// away mid-run reports Lost and lets the instance go on alone.
type Coordinator interface {
	// Store is the test-wide `shared` store of every instance.
	Store() testwide.Backend
	// Rendezvous runs rendezvous points across every instance.
	Rendezvous() rendezvous.Backend
	// Watch calls onAbort, once, from a goroutine of the coordinator, when
	// another instance aborts the test; stop ends watching and waits for it.
	Watch(onAbort func(*RemoteAbort)) (stop func())
	// Ready reports this instance's VUs initialised and waits until every
	// instance has; it returns the agreed start instant, on this machine's
	// clock, or an error naming the instances missing after its timeout.
	Ready(ctx context.Context) (time.Time, error)
	// Abort tells the other instances to abort the test.
	Abort(a *RemoteAbort)
	// Interval hands over this instance's metrics of the last interval (and
	// its totals and running VUs). The instance that aggregates the test (0)
	// gets back the whole test's live state with ok; the others get false.
	Interval(iv, totals *metrics.Snapshot, running int64) (live Live, ok bool)
	// Lost reports whether the coordinator went away during the run.
	Lost() bool
}

// Live is the state of a whole distributed test, as its aggregating instance
// sees it each second.
type Live struct {
	Interval *metrics.Snapshot // the last second of every instance
	Totals   *metrics.Snapshot // the test so far
	VUs      int64             // VUs running now in every instance
}

// RemoteAbort is the cause of a test aborted by another instance (or the
// message this instance sends the others when it aborts).
type RemoteAbort struct {
	Segment   int    // the instance that aborted
	Msg       string // why
	Threshold bool   // an abortOnFail threshold failed (exit code 99, not 108)
}

// Error implements error.
func (a *RemoteAbort) Error() string {
	return fmt.Sprintf("segment %d aborted the test: %s", a.Segment, a.Msg)
}

// StartError is the cause of a test that could not start together with the
// other instances (the start barrier failed or timed out).
type StartError struct{ Err error }

// Error implements error.
func (e *StartError) Error() string { return "start barrier: " + e.Err.Error() }

// Unwrap returns the barrier's error.
func (e *StartError) Unwrap() error { return e.Err }

// installCoordinator makes the coordinator's shared store and rendezvous
// points the test's, before any VU is built.
func (t *Test) installCoordinator() {
	if c := t.cfg.Coordinator; c != nil {
		testwide.Install(t.shared, c.Store())
		rendezvous.Install(t.shared, c.Rendezvous())
	}
}

// broadcastAbort tells the other instances that this one aborts with cause,
// unless another instance's abort is the cause or the user stopped this one.
func (t *Test) broadcastAbort(cause error) {
	c := t.cfg.Coordinator
	var remote *RemoteAbort
	if c == nil || cause == nil || errors.As(cause, &remote) || errors.Is(cause, ErrInterrupted) {
		return
	}
	a := &RemoteAbort{Segment: t.Plan.Segment.Index, Msg: cause.Error()}
	var ta *ThresholdAbortError
	var ae *jsruntime.AbortError
	switch {
	case errors.As(cause, &ta):
		a.Threshold = true
	case errors.As(cause, &ae):
		a.Msg = "abortTest(): " + ae.Msg
	}
	c.Abort(a)
}

// remoteAbort aborts this instance because another one did (Result.ThresholdAbort
// says so when an abortOnFail threshold was the reason).
func (t *Test) remoteAbort(a *RemoteAbort) { t.Abort(a) }

// remoteThresholdAbort returns the cause of a test aborted by another
// instance's abortOnFail threshold, or nil.
func remoteThresholdAbort(cause error) error {
	var a *RemoteAbort
	if errors.As(cause, &a) && a.Threshold {
		return a
	}
	return nil
}

// startTogether waits at the coordinator's start barrier and then until the
// agreed instant, which it returns; without a coordinator it returns now.
func (t *Test) startTogether() (time.Time, error) {
	c := t.cfg.Coordinator
	if c == nil {
		return time.Now(), nil
	}
	at, err := c.Ready(t.abortCtx)
	if err != nil {
		return time.Time{}, &StartError{err}
	}
	if !sleepUntil(t.abortCtx, newStoppedTimer(), at) {
		return time.Time{}, context.Cause(t.abortCtx)
	}
	return at, nil
}

// live hands the interval to the coordinator and returns the state the
// thresholds and the progress line follow: the whole test's on the
// aggregating instance, this instance's elsewhere. judge is false where
// another instance judges abortOnFail thresholds (on the whole test's data).
func (t *Test) live(iv, totals *metrics.Snapshot, vus int64) (l Live, judge bool) {
	l = Live{Interval: iv, Totals: totals, VUs: vus}
	c := t.cfg.Coordinator
	if c == nil {
		return l, true
	}
	if whole, ok := c.Interval(iv, totals, vus); ok {
		return whole, true
	}
	return l, c.Lost()
}
