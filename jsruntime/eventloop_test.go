package jsruntime

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestTimersRunByDeadline has the Go timers of three JS timers wake the loop in
// the reverse of their deadlines, as goroutines may when several timers come due
// together on a busy machine: the timers still run by deadline, then by creation.
func TestTimersRunByDeadline(t *testing.T) {
	t.Parallel()
	rt := goja.New()
	l := new(eventLoop)
	l.init()
	var seen []string
	timer := func(name string, delay time.Duration) {
		fn, _ := goja.AssertFunction(rt.ToValue(func() { seen = append(seen, name) }))
		l.setTimer(fn, delay, false, nil)
	}
	timer("20ms", 20*time.Millisecond)
	timer("0ms", 0)
	timer("0ms, set later", 0)
	// Wait until all three Go timers have woken the loop, then turn their
	// wake-ups around before the loop runs them.
	deadline := time.Now().Add(30 * time.Second)
	for {
		l.mu.Lock()
		n := len(l.queue)
		if n == 3 {
			slices.Reverse(l.queue)
		}
		l.mu.Unlock()
		if n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 3 timers woke the loop in 30 s", n)
		}
		time.Sleep(time.Millisecond)
	}
	if err := l.run(context.Background(), func() bool { return true }); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(seen, ", "), "0ms, 0ms, set later, 20ms"; got != want {
		t.Errorf("timers ran as %q, want %q", got, want)
	}
}
