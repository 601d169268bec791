package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/jsload/jsload/scheduler"
)

// Ctrl+C (or SIGTERM) is watched from before the script loads to the end of the
// command, and a second one always ends the process, whatever it is doing:
//
//	phase                  1st signal                       2nd signal              3rd
//	loading (interruptibly) interrupt the load: the script's end the process at once
//	                       top level, even one that never
//	                       returns (exit 105)
//	running (watchSignals) graceful stop                    abort, and end the      end the process
//	                                                        process if it has not   at once
//	                                                        ended exitGrace later
//
// The process ends through IO.Exit; without one (tests) the CLI only interrupts.

// exitGrace is how long an aborted run gets to write its summary and results
// before a second Ctrl+C ends the process without them.
const exitGrace = 2 * time.Second

// exitNow ends the process at once through io.Exit, if there is one.
func exitNow(io IO, why string) {
	fmt.Fprintf(io.Stderr, "jsload: %s: exiting now\n", why)
	if io.Exit != nil {
		io.Exit(ExitExternalAbort)
	}
}

// interruptibly runs load (loading and evaluating the script) on the calling
// goroutine under a context that the first Ctrl+C cancels with
// scheduler.ErrInterrupted, which interrupts the script's top level; a second
// ends the process. It returns load's error.
func interruptibly(io IO, load func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		count := 0
		for {
			select {
			case <-done:
				return
			case <-io.Signals:
				if count++; count == 1 {
					fmt.Fprintln(io.Stderr, "\njsload: interrupting the script while it loads; press Ctrl+C again to exit at once")
					cancel(scheduler.ErrInterrupted)
				} else {
					exitNow(io, "a second Ctrl+C while the script loads")
				}
			}
		}
	}()
	err := load(ctx)
	close(done)
	<-ended
	return err
}
