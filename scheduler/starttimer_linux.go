package scheduler

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// preciseTimer is a startTimer on a Linux timerfd: the kernel's high-resolution
// timer signals its expiry through the runtime's poller, so a waiting goroutine
// is woken within tens of microseconds of the planned time, and no thread
// blocks while it waits. One goroutine uses it at a time.
type preciseTimer struct {
	fd   int
	file *os.File // non-blocking: reads wait in the poller
	buf  [8]byte
}

func newPreciseTimer() (*preciseTimer, error) {
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return nil, os.NewSyscallError("timerfd_create", errno)
	}
	return &preciseTimer{fd: int(fd), file: os.NewFile(fd, "timerfd")}, nil
}

// aLongTimeAgo is a deadline in the past: setting it ends a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

func (p *preciseTimer) sleepUntil(ctx context.Context, when time.Time) bool {
	d := time.Until(when)
	if d <= 0 {
		return ctx.Err() == nil
	}
	spec := [4]int64{0, 0, int64(d / time.Second), int64(d % time.Second)} // it_interval, it_value
	if _, _, errno := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, uintptr(p.fd), 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0); errno != 0 {
		return goTimer{time.NewTimer(time.Hour)}.sleepUntil(ctx, when)
	}
	stop := context.AfterFunc(ctx, func() { _ = p.file.SetReadDeadline(aLongTimeAgo) })
	_, err := p.file.Read(p.buf[:])
	stop()
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return goTimer{time.NewTimer(time.Hour)}.sleepUntil(ctx, when)
	}
	return ctx.Err() == nil
}

func (p *preciseTimer) close() { p.file.Close() }
