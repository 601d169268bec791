package syncpoint

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jsload/jsload/dict"
)

// waiting is the number of waits counted as blocked on id.
func (p *Points) waiting(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.get(id).waiting
}

var errStopped = errors.New("vu stopped")

// TestWaitsCounted checks the count by which Set knows whether it woke anyone (and
// so yields): a wait is counted while it blocks and uncounted however it ends.
func TestWaitsCounted(t *testing.T) {
	t.Parallel()
	released := func(err error) bool { return err == nil }
	tests := []struct {
		name string
		end  func(p *Points, cancel context.CancelCauseFunc)
		ok   func(err error) bool // whether the wait ended as it should
	}{
		{"set", func(p *Points, _ context.CancelCauseFunc) { p.Set("gate") }, released},
		{"set and unset", func(p *Points, _ context.CancelCauseFunc) { p.Set("gate"); p.Unset("gate") }, released},
		{"timeout", func(*Points, context.CancelCauseFunc) { time.Sleep(time.Second) },
			func(err error) bool { var te *dict.TimeoutError; return errors.As(err, &te) }},
		{"cancel", func(_ *Points, cancel context.CancelCauseFunc) { cancel(errStopped) },
			func(err error) bool { return errors.Is(err, errStopped) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var p Points
				ctx, cancel := context.WithCancelCause(context.Background())
				defer cancel(nil)
				done := make(chan error, 1)
				go func() { done <- p.Wait(ctx, "gate", time.Second) }()
				synctest.Wait()
				if n := p.waiting("gate"); n != 1 {
					t.Fatalf("%d waits counted while one blocks, want 1", n)
				}
				tt.end(&p, cancel)
				if err := <-done; !tt.ok(err) {
					t.Fatalf("the wait ended with %v", err)
				}
				if n := p.waiting("gate"); n != 0 {
					t.Errorf("%d waits counted after the wait ended, want 0", n)
				}
			})
		})
	}
}
