package scheduler

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/internal/testio"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func ptr[T any](v T) *T { return &v }

func TestSharedIterationsExact(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ vus, iters int64 }{{1, 1}, {1, 50}, {10, 1000}, {7, 3}, {64, 64}} {
		test := build(t, "count.js", func(c *Config) { c.Overrides = Overrides{VUs: ptr(tt.vus), Iterations: ptr(tt.iters)} })
		res, err := test.Run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if res.Count("iterations") != tt.iters || res.Count("iterations_failed") != 0 || res.Interrupted != 0 {
			t.Errorf("%d VUs × %d shared iterations: got %d completed, %d failed, %d interrupted",
				tt.vus, tt.iters, res.Count("iterations"), res.Count("iterations_failed"), res.Interrupted)
		}
	}
}

// TestDurationRespected runs 2 VUs of 200 ms iterations for 1.1 s in a synctest
// bubble: 6 rounds start before the end (the last at 1.0 s), none after, and the
// last round is let finish, so the run ends at 1.2 s.
func TestDurationRespected(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		console := &testio.Buffer{}
		test := build(t, "sleepy.js", func(c *Config) {
			c.Overrides = Overrides{VUs: ptr[int64](2), Duration: ptr(1100 * time.Millisecond)}
			c.Console = console
		})
		begin := time.Now()
		res, err := test.Run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(begin); took != 1200*time.Millisecond {
			t.Errorf("run took %v, want 1.2s", took)
		}
		if res.Count("iterations") != 12 || res.Interrupted != 0 {
			t.Errorf("got %d iterations (%d interrupted), want 12 (0)", res.Count("iterations"), res.Interrupted)
		}
		want := []string{"[vu 1] vuEnd 1", "[vu 1] vuInit 1", "[vu 2] vuEnd 2", "[vu 2] vuInit 2"}
		if got := sortedLines(console); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("console %q, want %q", got, want)
		}
	})
}

// TestGracefulStop stops a test mid-iteration: with enough gracefulStop the running
// iterations finish; with a short one they are interrupted. vuEnd runs either way.
func TestGracefulStop(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name                     string
		gracefulStop             time.Duration
		wantDone, wantInterupted int64
		wantTook                 time.Duration
	}{
		{"iterations finish", time.Second, 3, 0, 200 * time.Millisecond},
		{"iterations interrupted", 50 * time.Millisecond, 0, 3, 150 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				console := &testio.Buffer{}
				test := build(t, "sleepy.js", func(c *Config) {
					c.Overrides = Overrides{VUs: ptr[int64](3), Duration: ptr(time.Hour)}
					c.Console = console
				})
				test.Plan.Groups[0].GracefulStop = tt.gracefulStop
				time.AfterFunc(100*time.Millisecond, func() { test.Stop(ErrInterrupted) })
				begin := time.Now()
				res, err := test.Run(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if took := time.Since(begin); took != tt.wantTook {
					t.Errorf("run took %v, want %v", took, tt.wantTook)
				}
				if res.Count("iterations") != tt.wantDone || res.Interrupted != tt.wantInterupted || !res.UserInterrupted {
					t.Errorf("got %d done, %d interrupted (user %v); want %d, %d (true)",
						res.Count("iterations"), res.Interrupted, res.UserInterrupted, tt.wantDone, tt.wantInterupted)
				}
				if n := strings.Count(strings.Join(sortedLines(console), "\n"), "vuEnd"); n != 3 {
					t.Errorf("vuEnd ran %d times, want 3", n)
				}
			})
		})
	}
}

// TestAbortAtOnce: a second Ctrl+C interrupts everything without waiting.
func TestAbortAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		test := build(t, "sleepy.js", func(c *Config) { c.Overrides = Overrides{VUs: ptr[int64](2), Duration: ptr(time.Hour)} })
		time.AfterFunc(100*time.Millisecond, func() { test.Stop(ErrInterrupted) })
		time.AfterFunc(110*time.Millisecond, func() { test.Abort(ErrInterrupted) })
		begin := time.Now()
		res, err := test.Run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(begin); took != 110*time.Millisecond {
			t.Errorf("run took %v, want 110ms", took)
		}
		if !errors.Is(res.Aborted, ErrInterrupted) || res.Interrupted != 2 {
			t.Errorf("aborted %v with %d interrupted, want ErrInterrupted with 2", res.Aborted, res.Interrupted)
		}
	})
}

func TestAbortTestFromScript(t *testing.T) {
	t.Parallel()
	test := build(t, "abort.js", func(c *Config) { c.Overrides = Overrides{VUs: ptr[int64](3), Duration: ptr(time.Minute)} })
	begin := time.Now()
	res, err := test.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ae *jsruntime.AbortError
	if !errors.As(res.Aborted, &ae) || ae.Msg != "enough" {
		t.Fatalf("Aborted = %v, want abortTest('enough')", res.Aborted)
	}
	if took := time.Since(begin); took > 10*time.Second {
		t.Errorf("abortTest took %v to end the test", took)
	}
}

func TestFailuresCountedAndLoggedOnce(t *testing.T) {
	t.Parallel()
	var log testio.Buffer
	test := build(t, "failing.js", func(c *Config) {
		c.Overrides = Overrides{VUs: ptr[int64](1), Iterations: ptr[int64](9)}
		c.Log = &log
	})
	res, err := test.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Count("iterations") != 6 || res.Count("iterations_failed") != 3 {
		t.Errorf("got %d completed, %d failed; want 6, 3", res.Count("iterations"), res.Count("iterations_failed"))
	}
	if m := res.Totals.Metric("checks"); m == nil {
		t.Errorf("no checks metric")
	} else if agg := res.Totals.Sum(m, metrics.NewTags("check", "even")); agg.Trues != 5 || agg.Falses() != 4 {
		t.Errorf("check even: %d passes, %d fails; want 5, 4", agg.Trues, agg.Falses())
	}
	if n := strings.Count(log.String(), "every third"); n != 1 {
		t.Errorf("error logged %d times, want once:\n%s", n, log.String())
	}
	var sum bytes.Buffer
	test.Errors.Summary(&sum)
	if !strings.Contains(sum.String(), "3× Error: every third at testdata/failing.js:4:37") {
		t.Errorf("summary %q lacks the counted error with its location", sum.String())
	}
}

// sortedLines are the lines of console's output, sorted (the VUs' lines come
// in any order).
func sortedLines(console *testio.Buffer) []string {
	l := strings.Split(strings.TrimSpace(console.String()), "\n")
	sort.Strings(l)
	return l
}
