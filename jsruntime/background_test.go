package jsruntime_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

// TestStopScopes creates background script 'bg' of testdata/stops.js with each
// stop scope and mode, does what should (or should not) stop it, and checks its
// status and the cause its context was cancelled with: one cause per trigger
// (the table in background.go).
func TestStopScopes(t *testing.T) {
	t.Parallel()
	var (
		nothing after = func(*testing.T, *jstest.Test, *jsruntime.VU) {}
		iterate after = func(t *testing.T, _ *jstest.Test, vu *jsruntime.VU) {
			must(t, vu.Iterate(context.Background(), jsruntime.FuncDefault, 1, 1))
		}
		endVU    after = func(_ *testing.T, _ *jstest.Test, vu *jsruntime.VU) { vu.StopBackground() }
		closeVU  after = func(_ *testing.T, _ *jstest.Test, vu *jsruntime.VU) { vu.Close() }
		stopNow  after = func(t *testing.T, _ *jstest.Test, vu *jsruntime.VU) { must(t, vu.Run(context.Background(), "stopNow")) }
		reloaded after = func(t *testing.T, tt *jstest.Test, vu *jsruntime.VU) {
			tt.State.Swap(tt.State.Program)
			iterate(t, tt, vu)
		}
		newBrowser after = func(t *testing.T, tt *jstest.Test, vu *jsruntime.VU) { // a group with newBrowserEachIteration
			iterate(t, tt, vu)
			vu.EndBrowser(bindings.BrowserReset{})
		}
	)
	tests := []stopScopeCase{
		{"script, immediate", `{"stop":"script","stopMode":"immediate"}`, "", "run", nothing, "canceled", []error{jsruntime.ErrCreatorReturned}},
		{"script, stop timeout", `{"stop":"script","stopTimeout":"10ms"}`, "spin", "run", nothing, "canceled",
			[]error{jsruntime.ErrStopTimeout, jsruntime.ErrCreatorReturned}},
		{"iteration, immediate", `{"stop":"iteration","stopMode":"immediate"}`, "", "iterate", nothing, "canceled", []error{jsruntime.ErrIterationEnded}},
		{"iteration, by request", `{"stop":"iteration","loop":true,"pause":"1ms"}`, "tick", "iterate", nothing, "completed", []error{context.Canceled}},
		{"iteration, not the function", `{"stop":"iteration","stopMode":"immediate"}`, "", "run", nothing, "running", nil},
		{"vu, not the iteration", `{"stopMode":"immediate"}`, "", "iterate", nothing, "running", nil},
		{"vu, at its end", `{"stopMode":"immediate"}`, "", "run", endVU, "canceled", []error{jsruntime.ErrVUEnded}},
		{"never, at the VU's end", `{"stop":"never","stopMode":"immediate"}`, "", "run", endVU, "canceled", []error{jsruntime.ErrVUEnded}},
		{"never, closed", `{"stop":"never"}`, "", "run", closeVU, "canceled", []error{jsruntime.ErrVUEnded}},
		{"never, reloaded", `{"stop":"never","stopMode":"immediate"}`, "", "run", reloaded, "canceled", []error{jsruntime.ErrReloaded}},
		{"stopped now", `{"stop":"never"}`, "", "run", stopNow, "canceled", []error{jsruntime.ErrStoppedNow}},
		{"vu, vuInit's, new browser", `{"stopMode":"immediate"}`, "", "init", newBrowser, "canceled", []error{jsruntime.ErrBrowserClosed}},
		{"vu, vuInit's, new browser by request", `{"loop":true,"pause":"1ms"}`, "tick", "init", newBrowser, "completed", []error{context.Canceled}},
		{"vu, vuInit's, one browser", `{"stopMode":"immediate"}`, "", "init", iterate, "running", nil},
		{"never, vuInit's, new browser", `{"stop":"never","stopMode":"immediate"}`, "", "init", newBrowser, "running", nil},
		{"vu, not vuInit's, new browser", `{"stopMode":"immediate"}`, "", "run", newBrowser, "running", nil},
		{"vu, vuInit's, reloaded", `{"stopMode":"immediate"}`, "", "init", reloaded, "canceled", []error{jsruntime.ErrReloaded}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.check(t)
		})
	}
}

// after is what a stop-scope case does once create() has returned.
type after func(t *testing.T, tt *jstest.Test, vu *jsruntime.VU)

// stopScopeCase is one case of TestStopScopes.
type stopScopeCase struct {
	name       string
	opts, exec string
	create     string // how create() runs: "run", "init" (as vuInit) or "iterate" (then the iteration ends)
	after      after
	status     string
	causes     []error // what the cause must be (errors.Is); none while it runs
}

// check creates the background script bg as the case says, does what follows,
// and checks bg's status and cause.
func (tc stopScopeCase) check(t *testing.T) {
	tt := jstest.New(t, "testdata/stops.js")
	vu := tt.NewVU(t)
	vu.Dict.Set("opts", tc.opts)
	if tc.exec != "" {
		vu.Dict.Set("exec", tc.exec)
	}
	switch tc.create {
	case "iterate":
		must(t, vu.Iterate(context.Background(), "create", 0, 0))
	case "init":
		must(t, vu.Init(context.Background(), "create"))
	default:
		must(t, vu.Run(context.Background(), "create"))
	}
	tc.after(t, tt, vu)
	st, err := jsruntime.BackgroundStatus(vu, "bg")
	must(t, err)
	if st != tc.status {
		t.Errorf("status %s, want %s", st, tc.status)
	}
	cause, err := jsruntime.BackgroundCause(vu, "bg")
	must(t, err)
	if len(tc.causes) == 0 && cause != nil {
		t.Errorf("cancelled with %v, want still running", cause)
	}
	for _, want := range tc.causes {
		if !errors.Is(cause, want) {
			t.Errorf("cancelled with %v, want %v", cause, want)
		}
	}
}

// stopBounded ends the VU's background scripts (VU.StopBackground), failing t if
// that does not return: the bound is only against a hang.
func stopBounded(t *testing.T, vu *jsruntime.VU, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() { vu.StopBackground(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s kept its VU from ending", what)
	}
}

// TestStopNeverEndsWithVU: a script with stop: 'never' deaf to the stop request
// (a tight loop) does not keep its VU from ending: the request's timeout stops it.
func TestStopNeverEndsWithVU(t *testing.T) {
	t.Parallel()
	vu := jstest.NewVU(t, "testdata/stops.js")
	vu.Dict.Set("opts", `{"stop":"never","stopTimeout":"10ms"}`)
	vu.Dict.Set("exec", "spin")
	must(t, vu.Run(context.Background(), "create"))
	stopBounded(t, vu, "a script in a tight loop")
	if st, _ := jsruntime.BackgroundStatus(vu, "bg"); st != "canceled" {
		t.Errorf("status %s after the VU ended, want canceled", st)
	}
	if cause, _ := jsruntime.BackgroundCause(vu, "bg"); !errors.Is(cause, jsruntime.ErrStopTimeout) || !errors.Is(cause, jsruntime.ErrVUEnded) {
		t.Errorf("cancelled with %v, want the stop timeout of the VU's end", cause)
	}
}

// TestStopRequestEndsWaits ends a VU whose background script is blocked in a
// sleep or a wait, with a stop timeout of an hour: the VU's stop request ends
// the call at once (a sleep returns, the script completes; a wait stops the
// script), so the VU does not wait for the timeout.
func TestStopRequestEndsWaits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ exec, status string }{
		{"sleepLong", "completed"},
		{"syncForever", "canceled"},
		{"waitForever", "canceled"},
		{"popForever", "canceled"},
	} {
		t.Run(tc.exec, func(t *testing.T) {
			t.Parallel()
			vu := jstest.NewVU(t, "testdata/stops.js")
			vu.Dict.Set("opts", `{"stopTimeout":"1h"}`)
			vu.Dict.Set("exec", tc.exec)
			must(t, vu.Run(context.Background(), "create"))
			stopBounded(t, vu, "a script blocked in "+tc.exec)
			if st, _ := jsruntime.BackgroundStatus(vu, "bg"); st != tc.status {
				t.Errorf("status %s after the VU ended, want %s", st, tc.status)
			}
			if cause, _ := jsruntime.BackgroundCause(vu, "bg"); !errors.Is(cause, context.Canceled) {
				t.Errorf("cancelled with %v, want none (it ended by itself)", cause)
			}
		})
	}
}

// TestManyVUsWithBackgroundScripts runs 1,000 VUs with 3 background scripts each
// (under -race in CI); goleak in TestMain checks that nothing survives the VUs.
func TestManyVUsWithBackgroundScripts(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("1,000 VUs")
	}
	tt := jstest.New(t, "testdata/manybg.js")
	errs := tt.InVUs(1000, func(_ int, vu *jsruntime.VU) error {
		defer vu.StopBackground()
		return vu.Iterate(context.Background(), jsruntime.FuncDefault, 0, 0)
	})
	for i, err := range errs {
		if err != nil {
			t.Error(fmt.Errorf("VU %d: %w", i+1, err))
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
