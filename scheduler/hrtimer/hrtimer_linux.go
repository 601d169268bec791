package hrtimer

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// Timer is a one-shot timer. Arm may be called from any goroutine, also while
// another waits; one goroutine waits at a time.
type Timer struct {
	fd   int
	file *os.File // non-blocking: reads wait in the poller
	buf  [8]byte
}

// New returns a disarmed timer.
func New() (*Timer, error) {
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return nil, os.NewSyscallError("timerfd_create", errno)
	}
	return &Timer{fd: int(fd), file: os.NewFile(fd, "timerfd")}, nil
}

// Arm makes the timer fire after d (at least a microsecond), replacing the
// previous setting.
func (t *Timer) Arm(d time.Duration) error {
	d = max(d, time.Microsecond)
	spec := [4]int64{0, 0, int64(d / time.Second), int64(d % time.Second)} // it_interval, it_value
	if _, _, errno := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, uintptr(t.fd), 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0); errno != 0 {
		return os.NewSyscallError("timerfd_settime", errno)
	}
	return nil
}

// aLongTimeAgo is a deadline in the past: setting it ends a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

// Wait returns when the timer fires, or with ctx's error when ctx ends first.
// After ctx ended, the timer is not waited on again.
func (t *Timer) Wait(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { _ = t.file.SetReadDeadline(aLongTimeAgo) })
	_, err := t.file.Read(t.buf[:])
	stop()
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// Close releases the timer; a Wait under way returns an error.
func (t *Timer) Close() error { return t.file.Close() }
