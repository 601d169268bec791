//go:build !linux

package scheduler

import "errors"

// newPreciseTimer has no high-resolution timer to offer here: the scheduler
// uses Go's timers.
func newPreciseTimer() (startTimer, error) {
	return nil, errors.New("no high-resolution timer on this system")
}
