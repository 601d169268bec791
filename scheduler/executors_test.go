package scheduler

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jsload/jsload/internal/testio"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// build prepares a test of testdata/script; edit, if not nil, changes its Config.
func build(t *testing.T, script string, edit func(*Config)) *Test {
	t.Helper()
	prog, err := jsruntime.Load(filepath.Join("testdata", script), jsruntime.BuiltinModules())
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Program: prog, ThinkTimeFactor: 1, ResultsDir: t.TempDir()}
	if edit != nil {
		edit(&cfg)
	}
	test, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return test
}

// shaped prepares testdata/shaped.js with options (JSON) and iterations that sleep
// for sleep seconds; console and log may be nil.
func shaped(t *testing.T, options string, sleep float64, console, log *testio.Buffer) *Test {
	t.Helper()
	return build(t, "shaped.js", func(c *Config) {
		c.Env = map[string]string{"OPTIONS": options, "SLEEP": strconv.FormatFloat(sleep, 'f', -1, 64)}
		if console != nil {
			c.Console = console
		}
		if log != nil {
			c.Log = log
		}
	})
}

// timedRun runs test and returns its result and how long it took.
func timedRun(t *testing.T, test *Test) (*Result, time.Duration) {
	t.Helper()
	begin := time.Now()
	res, err := test.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return res, time.Since(begin)
}

// iterations reads the "it <group> <idInGroup> <iterationInGroup>" lines of
// shaped.js: the iterations each VU started (by "group/idInGroup"), and whether
// each group's iteration numbers are exactly 0..n-1.
func iterations(t *testing.T, console *testio.Buffer) map[string]int {
	t.Helper()
	perVU := map[string]int{}
	numbers := map[string][]int{}
	for _, l := range sortedLines(console) {
		var vuID, group string
		var n int
		if _, err := fmt.Sscanf(l, "[vu %s it %s %s %d", &vuID, &group, new(string), &n); err != nil {
			continue
		}
		f := strings.Fields(l)
		perVU[group+"/"+f[4]]++
		numbers[group] = append(numbers[group], n)
	}
	for g, ns := range numbers {
		slices.Sort(ns)
		for i, n := range ns {
			if n != i {
				t.Errorf("group %s: iterationInGroup numbers %v, want 0..%d each once", g, ns, len(ns)-1)
				break
			}
		}
	}
	return perVU
}

// TestGroupsRunTogether: two groups with their own executor, exec, env, life-cycle
// exports and tags; VU ids are global and per group; iterationInGroup counts each
// group's iterations.
func TestGroupsRunTogether(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		console := &testio.Buffer{}
		test := build(t, "groups.js", func(c *Config) { c.Console = console })
		res, took := timedRun(t, test)
		if took != 300*time.Millisecond {
			t.Errorf("run took %v, want 300ms (3 rounds of 100ms)", took)
		}
		want := []string{
			"[vu 1] end a 1", "[vu 1] init a 1 1 alpha", "[vu 2] end a 2", "[vu 2] init a 2 2 alpha",
			"[vu 3] bend 3", "[vu 3] binit b 3 1", "[vu 4] bend 4", "[vu 4] binit b 4 2", "[vu 5] bend 5", "[vu 5] binit b 5 3",
		}
		var got, its []string
		for _, l := range sortedLines(console) {
			if strings.Contains(l, "] it ") {
				its = append(its, l[strings.Index(l, "] ")+2:])
			} else {
				got = append(got, l)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("life cycle %q, want %q", got, want)
		}
		slices.Sort(its)
		wantIts := []string{"it a 0", "it a 1", "it a 2", "it a 3", "it a 4", "it a 5",
			"it b 0", "it b 1", "it b 2", "it b 3", "it b 4", "it b 5", "it b 6"}
		if !slices.Equal(its, wantIts) {
			t.Errorf("iterations %q, want %q", its, wantIts)
		}
		m := res.Totals.Metric("iterations")
		if web := res.Totals.Sum(m, metrics.NewTags("kind", "web")).Sum; web != 6 || res.Count("iterations") != 13 {
			t.Errorf("%g iterations tagged kind=web of %d, want 6 of 13", web, res.Count("iterations"))
		}
	})
}

// TestRampingVUs: VUs join one by one as the ramp reaches them and loop until the
// end of the stages; running iterations then finish.
func TestRampingVUs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		console := &testio.Buffer{}
		// VU i (from 1) is active from i s; the stages end at 5.95s.
		test := shaped(t, `{"groups": {"r": {"executor": "ramping-vus", "startVUs": 0,
			"stages": [{"duration": "3s", "target": 3}, {"duration": "2950ms", "target": 3}]}}}`, 0.3, console, nil)
		res, took := timedRun(t, test)
		got := iterations(t, console)
		want := map[string]int{"r/1": 17, "r/2": 14, "r/3": 10} // starts at i + 0.3k < 5.95
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("iterations per VU %v, want %v", got, want)
		}
		if took != 6200*time.Millisecond || res.Count("iterations") != 41 || res.Interrupted != 0 {
			t.Errorf("took %v, %d iterations, %d interrupted; want 6.2s, 41, 0", took, res.Count("iterations"), res.Interrupted)
		}
	})
}

// TestGracefulRampDown: two VUs are ramped down at 1s in the middle of 1.5s
// iterations and back up at 1.5s. Within gracefulRampDown the iterations finish;
// otherwise they are interrupted and the VUs start again when reactivated.
func TestGracefulRampDown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		grace                  string
		completed, interrupted int64
	}{
		{"0s", 2, 2},    // interrupted at 1s, restart at 1.5s, finish at 3s
		{"200ms", 2, 2}, // interrupted at 1.2s
		{"1s", 4, 0},    // the first iterations end at 1.5s, as the VUs come back
		{"400ms", 2, 2}, // interrupted at 1.4s, just before the VUs come back
		{"499ms", 2, 2}, // still interrupted
		{"10s", 4, 0},   // plenty
	} {
		t.Run(tt.grace, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				test := shaped(t, `{"groups": {"r": {"executor": "ramping-vus", "startVUs": 2, "gracefulRampDown": "`+tt.grace+`",
					"stages": [{"duration": "1s", "target": 2}, {"duration": 0, "target": 0}, {"duration": "500ms", "target": 0},
						{"duration": 0, "target": 2}, {"duration": "1s", "target": 2}]}}}`, 1.5, nil, nil)
				res, took := timedRun(t, test)
				if took != 3*time.Second || res.Count("iterations") != tt.completed || res.Interrupted != tt.interrupted {
					t.Errorf("took %v, %d completed, %d interrupted; want 3s, %d, %d",
						took, res.Count("iterations"), res.Interrupted, tt.completed, tt.interrupted)
				}
			})
		})
	}
}

// TestArrivalRate: iterations start on schedule whatever their length; with no
// free VU they are dropped (counted, one warning) and the pool grows to maxVUs.
func TestArrivalRate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name                     string
		group                    string
		sleep                    float64
		started, dropped, vusMax int64
		took                     time.Duration
		warned                   bool
	}{
		{"enough VUs", `"executor": "constant-arrival-rate", "rate": 10, "duration": "2s", "preAllocatedVUs": 2`,
			0.1, 20, 0, 2, 2 * time.Second, false},
		// Starts at 0, 0.1 (both VUs busy 0.95s), 1.0, 1.1; the 16 others are dropped.
		{"pool exhausted", `"executor": "constant-arrival-rate", "rate": 10, "duration": "2s", "preAllocatedVUs": 2`,
			0.95, 4, 16, 2, 2050 * time.Millisecond, true},
		// A drop at 0.1 and at 0.4 each add a VU; then 3 VUs of 0.25s keep up.
		{"pool grows", `"executor": "constant-arrival-rate", "rate": 10, "duration": "1s", "preAllocatedVUs": 1, "maxVUs": 3`,
			0.25, 8, 2, 3, 1150 * time.Millisecond, false},
		// 0 → 10/s over 2s (10 iterations), 10/s for 1s (9 more: the 10th would start at the end).
		{"ramping", `"executor": "ramping-arrival-rate", "preAllocatedVUs": 2, "stages": [{"duration": "2s", "target": 10}, {"duration": "1s", "target": 10}]`,
			0.1, 19, 0, 2, 3 * time.Second, false},
		{"ramping per minute", `"executor": "ramping-arrival-rate", "timeUnit": "1m", "startRate": 600, "preAllocatedVUs": 1, "stages": [{"duration": "1s", "target": 600}]`,
			0, 9, 0, 1, 900 * time.Millisecond, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				console, log := &testio.Buffer{}, &testio.Buffer{}
				test := shaped(t, `{"groups": {"api": {`+tt.group+`}}}`, tt.sleep, console, log)
				var mu sync.Mutex
				var jitter []time.Duration
				test.startHook = func(planned, actual time.Time) {
					mu.Lock()
					defer mu.Unlock()
					jitter = append(jitter, actual.Sub(planned))
				}
				res, took := timedRun(t, test)
				iterations(t, console)
				if res.Count("iterations") != tt.started || res.Count("dropped_iterations") != tt.dropped || took != tt.took {
					t.Errorf("%d iterations, %d dropped in %v; want %d, %d in %v",
						res.Count("iterations"), res.Count("dropped_iterations"), took, tt.started, tt.dropped, tt.took)
				}
				if m := res.Totals.Metric("vus_max"); m == nil || res.Totals.Sum(m, metrics.Tags{}).Max != float64(tt.vusMax) {
					t.Errorf("vus_max %v, want %d", res.Totals.Sum(m, metrics.Tags{}), tt.vusMax)
				}
				if warned := strings.Count(log.String(), "WARN"); (warned == 1) != tt.warned || warned > 1 {
					t.Errorf("warned %d times about dropped iterations, want warned=%v:\n%s", warned, tt.warned, log.String())
				}
				for i, j := range jitter { // the fake clock makes them exact
					if j != 0 {
						t.Errorf("iteration %d started %v late", i, j)
						break
					}
				}
			})
		})
	}
}

// TestPacing: iterations of a VU start no sooner than pacing after the previous
// start; an overrunning iteration is followed at once.
func TestPacing(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		sleep float64
		took  time.Duration
	}{
		{0.1, 1100 * time.Millisecond}, // starts at 0, 0.5, 1.0
		{0.7, 2100 * time.Millisecond}, // starts at 0, 0.7, 1.4
	} {
		synctest.Test(t, func(t *testing.T) {
			test := shaped(t, `{"groups": {"paced": {"executor": "per-vu-iterations", "vus": 1, "iterations": 3, "pacing": "500ms"}}}`, tt.sleep, nil, nil)
			res, took := timedRun(t, test)
			if took != tt.took || res.Count("iterations") != 3 {
				t.Errorf("iterations of %gs: %d in %v, want 3 in %v", tt.sleep, res.Count("iterations"), took, tt.took)
			}
		})
	}
}

// TestThinkTimeFactor: sleep and pause are scaled; 0 disables them.
func TestThinkTimeFactor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		factor float64
		took   time.Duration
	}{
		{0, 0},
		{0.5, 4500 * time.Millisecond}, // 3 rounds of (2s + 1s) × 0.5
		{1, 9 * time.Second},
	} {
		synctest.Test(t, func(t *testing.T) {
			test := build(t, "thinktime.js", func(c *Config) { c.ThinkTimeFactor = tt.factor })
			res, took := timedRun(t, test)
			if took != tt.took || res.Count("iterations") != 6 {
				t.Errorf("factor %g: %d iterations in %v, want 6 in %v", tt.factor, res.Count("iterations"), took, tt.took)
			}
		})
	}
}

func TestStartTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		res, took := timedRun(t, build(t, "starttime.js", nil))
		if took != 1500*time.Millisecond || res.Count("iterations") != 2 {
			t.Errorf("%d iterations in %v, want 2 in 1.5s", res.Count("iterations"), took)
		}
	})
}

// TestAbortTestFromAnotherScript: abortTest in one group, or in a background
// script, interrupts every iteration at once (the aborting iteration's too).
func TestAbortTestFromAnotherScript(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		script, msg string
		took        time.Duration
		interrupted int64
	}{
		{"abortgroup.js", "enough", time.Second, 3},
		{"bgabort.js", "the watchdog fired", 200 * time.Millisecond, 2},
	} {
		synctest.Test(t, func(t *testing.T) {
			res, took := timedRun(t, build(t, tt.script, nil))
			var ae *jsruntime.AbortError
			if !errors.As(res.Aborted, &ae) || ae.Msg != tt.msg || took != tt.took || res.Interrupted != tt.interrupted {
				t.Errorf("%s: aborted %v after %v with %d interrupted; want abortTest(%q) after %v with %d",
					tt.script, res.Aborted, took, res.Interrupted, tt.msg, tt.took, tt.interrupted)
			}
		})
	}
}

// TestGroupGracefulStop: on Ctrl+C each group gives its iterations its own
// gracefulStop.
func TestGroupGracefulStop(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		test := build(t, "graceful.js", nil)
		time.AfterFunc(200*time.Millisecond, func() { test.Stop(ErrInterrupted) })
		res, took := timedRun(t, test)
		if took != 500*time.Millisecond || res.Count("iterations") != 1 || res.Interrupted != 1 || !res.UserInterrupted {
			t.Errorf("took %v, %d completed, %d interrupted; want 500ms, 1, 1", took, res.Count("iterations"), res.Interrupted)
		}
	})
}

// TestInitProgress: a VU initialisation longer than a second is reported.
func TestInitProgress(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		progress := &testio.Buffer{}
		test := build(t, "slowinit.js", nil)
		test.SetInitProgress(progress)
		res, took := timedRun(t, test)
		want := []string{"initialised 3 VUs in 1.5s", "initialising VUs: 0/3 ready"}
		if got := sortedLines(progress); !slices.Equal(got, want) || took != 1500*time.Millisecond || res.Count("iterations") != 3 {
			t.Errorf("progress %q in %v, want %q in 1.5s", got, took, want)
		}
	})
}
