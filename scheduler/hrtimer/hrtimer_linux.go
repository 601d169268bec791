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
	file *os.File        // non-blocking: reads wait in the poller
	rc   syscall.RawConn // file's descriptor, held while in use
	buf  [8]byte
}

// New returns a disarmed timer.
func New() (*Timer, error) {
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return nil, os.NewSyscallError("timerfd_create", errno)
	}
	t := &Timer{file: os.NewFile(fd, "timerfd")}
	rc, err := t.file.SyscallConn()
	if err != nil {
		t.file.Close()
		return nil, err
	}
	t.rc = rc
	return t, nil
}

// Arm makes the timer fire after d (at least a microsecond), replacing the
// previous setting.
func (t *Timer) Arm(d time.Duration) error {
	d = max(d, time.Microsecond)
	spec := [4]int64{0, 0, int64(d / time.Second), int64(d % time.Second)} // it_interval, it_value
	var errno syscall.Errno
	if err := t.rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
	}); err != nil {
		return err // closed
	}
	if errno != 0 {
		return os.NewSyscallError("timerfd_settime", errno)
	}
	return nil
}

// aLongTimeAgo is a deadline in the past: setting it ends a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

// Wait returns when the timer fires, or at deadline if that comes first (zero:
// no deadline), or with ctx's error when ctx ends first.
//
// The deadline matters when every processor is busy: the runtime then looks at
// the poller only every 10 ms or so, while its own timers (which the deadline
// is) are checked at each scheduling point. Armed for the same moment as the
// timer, the deadline makes Wait never later than Go's timers would be.
func (t *Timer) Wait(ctx context.Context, deadline time.Time) error {
	if err := t.file.SetReadDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = t.file.SetReadDeadline(aLongTimeAgo) })
	_, err := t.file.Read(t.buf[:])
	stop()
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return nil // the deadline
	}
	return err
}

// Close releases the timer; a Wait under way returns an error.
func (t *Timer) Close() error { return t.file.Close() }
