package vu_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestScripts runs the functions of testdata/vu.js, which throw on failure, and
// checks what only Go sees: errors, aborts, recorded checks.
func TestScripts(t *testing.T) {
	t.Parallel()
	run := func(fn string) func(*jsruntime.VU) error {
		return func(vu *jsruntime.VU) error { return vu.Run(context.Background(), fn) }
	}
	succeeds := func(t *testing.T, _ *jstest.Test, _ *jsruntime.VU, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		setup func(*jstest.Test) // before the VU is built
		call  func(*jsruntime.VU) error
		check func(t *testing.T, tt *jstest.Test, vu *jsruntime.VU, err error)
	}{
		{"sleeps", nil, run("sleeps"), succeeds},
		{"think time off", func(tt *jstest.Test) { tt.State.ThinkTimeFactor = 0 }, run("thinkTimeOff"), succeeds},
		{"pauses", nil, run("pauses"), succeeds},
		{"fails", nil, run("fails"), succeeds},
		{"identity", nil, run("identity"), succeeds},
		{"iteration", nil, func(vu *jsruntime.VU) error { return vu.Iterate(context.Background(), "iteration", 6, 16) }, succeeds},
		{"checks", nil, run("checks"), func(t *testing.T, tt *jstest.Test, _ *jsruntime.VU, err error) {
			succeeds(t, tt, nil, err)
			reg := tt.State.Metrics
			reg.Collect()
			tot := reg.Totals()
			checks := reg.Builtins().Checks
			for _, w := range []struct {
				name          string
				count, passes uint64
			}{{"is 200", 2, 2}, {"fast", 1, 0}, {"constant", 1, 1}} {
				if a := tot.Sum(checks, metrics.NewTags("check", w.name)); a.Count != w.count || a.Trues != w.passes {
					t.Errorf("check %q: %d passed of %d, want %d of %d", w.name, a.Trues, a.Count, w.passes, w.count)
				}
			}
		}},
		{"fail fails the iteration", nil, run("failIteration"), func(t *testing.T, _ *jstest.Test, _ *jsruntime.VU, err error) {
			var se *jsruntime.ScriptError
			if !errors.As(err, &se) || !strings.Contains(se.Msg, "no seats left") || !strings.HasPrefix(se.Location, "testdata/vu.js:") {
				t.Errorf("got %v, want the script error of fail() located in testdata/vu.js", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tt := jstest.New(t, "testdata/vu.js")
			if tc.setup != nil {
				tc.setup(tt)
			}
			vu := tt.NewVU(t, jstest.ID(4))
			tc.check(t, tt, vu, tc.call(vu))
		})
	}
}

// TestAbortTest: abortTest ends the test through the test's Abort, with its
// message, and the script stops at once.
func TestAbortTest(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/vu.js")
	var aborted []string
	tt.State.Abort = func(msg string) { aborted = append(aborted, msg) }
	vu := tt.NewVU(t)
	err := vu.Run(context.Background(), "abort")
	var ae *jsruntime.AbortError
	if !errors.As(err, &ae) || ae.Msg != "payment service down" {
		t.Errorf("got %v, want the abort with its message", err)
	}
	if len(aborted) != 1 || aborted[0] != "payment service down" {
		t.Errorf("the test's Abort got %q, want the message once", aborted)
	}
	if _, ran := vu.Dict.Get("after"); ran {
		t.Error("the script went on after abortTest")
	}
}
