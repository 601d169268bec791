//go:build !linux

package hrtimer

import (
	"context"
	"time"
)

// Timer is not available here: New always fails.
type Timer struct{}

// New returns ErrUnsupported.
func New() (*Timer, error) { return nil, ErrUnsupported }

// Arm returns ErrUnsupported.
func (*Timer) Arm(time.Duration) error { return ErrUnsupported }

// Wait returns ErrUnsupported.
func (*Timer) Wait(context.Context, time.Time) error { return ErrUnsupported }

// Close does nothing.
func (*Timer) Close() error { return nil }
