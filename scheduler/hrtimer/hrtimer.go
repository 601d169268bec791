// Package hrtimer is a high-resolution one-shot timer that goroutines wait on
// through the runtime's poller.
//
// Go's timers wake an idle process through the poller's millisecond timeouts,
// so they fire about half a millisecond late on average and up to a millisecond
// and a half. On Linux a Timer is a timerfd: the kernel's high-resolution timer
// signals its expiry through the same poller, so a waiting goroutine is woken
// within tens of microseconds, and no thread blocks while it waits. Elsewhere
// New fails and callers use Go's timers.
package hrtimer

import "errors"

// ErrUnsupported is New's error where the system has no timerfd.
var ErrUnsupported = errors.New("no high-resolution timer on this system")
