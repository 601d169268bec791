package cli

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jsload/jsload/internal/testio"
	"github.com/jsload/jsload/scheduler"
)

// TestInterruptibly: the first Ctrl+C cancels the load's context with
// ErrInterrupted; a second, while a load deaf to its context goes on, ends the
// process at once (IO.Exit, 105).
func TestInterruptibly(t *testing.T) {
	t.Parallel()
	sig := make(chan os.Signal, 2)
	exited := make(chan int, 1)
	var stderr testio.Buffer
	io := IO{Stderr: &stderr, Signals: sig, Exit: func(code int) { exited <- code }}
	cancelled := make(chan error, 1)
	err := interruptibly(io, func(ctx context.Context) error {
		sig <- os.Interrupt
		<-ctx.Done()
		cancelled <- context.Cause(ctx)
		sig <- os.Interrupt // the load goes on, deaf to its context
		select {
		case code := <-exited:
			if code != ExitExternalAbort {
				t.Errorf("exit code %d, want %d", code, ExitExternalAbort)
			}
		case <-time.After(30 * time.Second): // only against a hang
			t.Error("a second Ctrl+C did not end the process")
		}
		return context.Cause(ctx)
	})
	if cause := <-cancelled; !errors.Is(cause, scheduler.ErrInterrupted) || !errors.Is(err, scheduler.ErrInterrupted) {
		t.Errorf("the load was cancelled with %v and returned %v, want ErrInterrupted", cause, err)
	}
	for _, want := range []string{"interrupting the script while it loads", "a second Ctrl+C while the script loads: exiting now"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

// stopRecorder is a stopper that records the causes it was given.
type stopRecorder struct {
	mu            sync.Mutex
	stops, aborts int
}

func (r *stopRecorder) Stop(error)  { r.mu.Lock(); r.stops++; r.mu.Unlock() }
func (r *stopRecorder) Abort(error) { r.mu.Lock(); r.aborts++; r.mu.Unlock() }

// TestWatchSignalsEndsProcess: a run that does not end after the second Ctrl+C
// (its abort) ends the process exitGrace later, or at once on a third.
func TestWatchSignalsEndsProcess(t *testing.T) {
	t.Parallel()
	for _, third := range []bool{false, true} {
		sig := make(chan os.Signal, 3)
		exited := make(chan int, 2)
		var stderr testio.Buffer
		rec := &stopRecorder{}
		stop := watchSignals(rec, IO{Stderr: &stderr, Signals: sig, Exit: func(code int) { exited <- code }})
		sig <- os.Interrupt
		sig <- os.Interrupt
		if third {
			sig <- os.Interrupt
		}
		select {
		case code := <-exited:
			if code != ExitExternalAbort {
				t.Errorf("exit code %d, want %d", code, ExitExternalAbort)
			}
		case <-time.After(30 * time.Second): // only against a hang
			t.Fatal("the process was not ended")
		}
		stop()
		rec.mu.Lock()
		if rec.stops != 1 || rec.aborts != 1 {
			t.Errorf("%d stops and %d aborts, want one of each", rec.stops, rec.aborts)
		}
		rec.mu.Unlock()
		want := "the run did not stop within 2s of the second Ctrl+C: exiting now"
		if third {
			want = "a third Ctrl+C: exiting now"
		}
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}
