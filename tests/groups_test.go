package tests

import (
	"strings"
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestGroupsPlan: `jsload check` prints each group, its executor, its load over
// time and the total, and runs nothing.
func TestGroupsPlan(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "check", "testdata/groups_plan.js")
	r.expect(t, cli.ExitOK, []string{
		"testdata/groups_plan.js: ok",
		`group "browsing": ramping-vus, 0 → 4 VUs at most, 3 stages over 6s, gracefulRampDown 30s, exec default, gracefulStop 30s`,
		"    0s → 2s          0 → 4 VUs\n    2s → 5s          4 VUs\n    5s → 6s          4 → 0 VUs\n",
		`group "api": constant-arrival-rate, 30 iterations/s for 4s (120 iterations), 2 pre-allocated VUs, up to 6, exec api, starts at 1s`,
		"total: 10 VUs max, 6s (plus up to the graceful stop)",
	}, nil)
	if strings.Contains(r.stdout, "iterations completed") {
		t.Errorf("check ran the test:\n%s", r.stdout)
	}
}

// TestGroupsInvalid: invalid groups are rejected before anything runs, with a
// message that names the group and the key, and exit code 107.
func TestGroupsInvalid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, options, want string
	}{
		{"negative target", `{"groups": {"web": {"executor": "ramping-vus", "stages": [{"duration": "1s", "target": -1}]}}}`,
			"options.groups.web.stages: [0].target: -1 is negative"},
		{"maxVUs below preAllocatedVUs", `{"groups": {"api": {"executor": "constant-arrival-rate", "rate": 5, "duration": "1s", "preAllocatedVUs": 5, "maxVUs": 2}}}`,
			"options.groups.api.maxVUs: 2 is less than preAllocatedVUs (5)"},
		{"unknown executor", `{"groups": {"web": {"executor": "constant-users"}}}`,
			`options.groups.web.executor: unknown executor "constant-users": choose one of`},
		{"exec not exported", `{"groups": {"web": {"executor": "per-vu-iterations", "exec": "browse"}}}`,
			`group "web": exec "browse" is not a function the script exports: export function browse() { ... } or fix the name (exported functions: api, default)`},
		{"exec not a function", `{"groups": {"web": {"executor": "per-vu-iterations", "exec": "notAFunction"}}}`,
			`group "web": exec "notAFunction" is not a function the script exports`},
		{"vuInit not exported", `{"groups": {"web": {"executor": "per-vu-iterations", "vuInit": "login"}}}`,
			`group "web": vuInit "login" is not a function the script exports`},
		{"unknown key", `{"groups": {"web": {"executor": "per-vu-iterations", "iteration": 3}}}`,
			`options.groups.web: unknown key "iteration"; the settings of a per-vu-iterations group are`},
		{"negative shortcut stage", `{"stages": [{"duration": "1s", "target": -3}]}`,
			"options.stages[0].target: -3 is negative"},
	} {
		for _, cmd := range []string{"check", "run"} {
			t.Run(tt.name+" "+cmd, func(t *testing.T) {
				t.Parallel()
				r := run(t, nil, cmd, "-e", "OPTIONS="+tt.options, "testdata/groups_options.js")
				r.expect(t, cli.ExitScriptError, nil, []string{"testdata/groups_options.js: " + tt.want})
				if strings.Contains(r.stdout, "iterations completed") {
					t.Errorf("the test ran:\n%s", r.stdout)
				}
			})
		}
	}
}

// TestGroupsAbortTest: abortTest from an iteration of one group, or from a
// background script, ends the whole test with exit 108 and the summary.
func TestGroupsAbortTest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ script, msg string }{
		{"testdata/groups_abort.js", "test aborted: the checker found a problem"},
		{"testdata/groups_bgabort.js", "test aborted: the watchdog fired"},
	} {
		t.Run(tt.script, func(t *testing.T) {
			t.Parallel()
			run(t, nil, "run", tt.script).expect(t, cli.ExitAborted, []string{"iterations completed", "interrupted in"}, []string{tt.msg})
		})
	}
}

// TestGroupsCtrlC: Ctrl+C stops every group gracefully: vuEnd runs for the VUs
// that started, the summary is written, the exit code says the run was cut short.
func TestGroupsCtrlC(t *testing.T) {
	t.Parallel()
	r := runInterrupted(t, newInterrupter([]string{"iteration ramp 1", "iteration paced 1"}), "testdata/groups_loop.js")
	r.expect(t, cli.ExitExternalAbort, []string{"iterations completed", "0 failed, 0 interrupted"},
		[]string{"stopping", "vuEnd ramp 1", "vuEnd paced 1"})
	if strings.Contains(r.stderr, "vuEnd ramp 2") {
		t.Errorf("a VU the ramp had not reached ran vuEnd:\n%s", r.stderr)
	}
}

// TestGroupsDroppedIterations: an exhausted pool drops iterations, counts them in
// dropped_iterations and warns once.
func TestGroupsDroppedIterations(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "testdata/groups_dropped.js")
	r.expect(t, cli.ExitOK, []string{"dropped_iterations"}, []string{`WARN group "busy": all 1 VUs were busy`})
	if n := strings.Count(r.stderr, "WARN"); n != 1 {
		t.Errorf("warned %d times, want once:\n%s", n, r.stderr)
	}
}

// TestThinkTimeFactorZero: --think-time-factor 0 disables sleep and pause, for a
// quick functional run of a long script.
func TestThinkTimeFactorZero(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "-q", "--think-time-factor", "0", "--iterations", "3", "testdata/groups_abort.js")
	// --iterations replaces the groups: 3 iterations of sleep(60), not aborted.
	r.expect(t, cli.ExitOK, []string{"3 iterations completed, 0 failed"}, nil)
}
