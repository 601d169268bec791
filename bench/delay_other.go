//go:build !linux

package main

import (
	"context"
	"time"
)

// delayer answers /delay requests with Go's timers where timerfd is missing.
type delayer struct{}

func newDelayer() (*delayer, error) { return &delayer{}, nil }

func (*delayer) wait(ctx context.Context, due time.Time) {
	t := time.NewTimer(time.Until(due))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
