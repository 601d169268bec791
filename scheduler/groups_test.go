package scheduler

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func plan(t *testing.T, opts string, ov Overrides) (*Plan, error) {
	t.Helper()
	o, err := ParseOptions([]byte(opts))
	if err != nil {
		t.Fatalf("ParseOptions(%s): %v", opts, err)
	}
	return BuildPlan(o, ov)
}

func TestGroupsPlan(t *testing.T) {
	t.Parallel()
	const groups = `{"groups": {
		"web": {"executor": "ramping-vus", "startVUs": 0, "stages": [{"duration": "10s", "target": 20}, {"duration": "20s", "target": 20}, {"duration": "10s", "target": 0}], "gracefulRampDown": "5s", "tags": {"kind": "web"}, "pacing": "2s"},
		"api": {"executor": "constant-arrival-rate", "rate": 50, "duration": "30s", "preAllocatedVUs": 5, "maxVUs": 20, "exec": "api", "startTime": "10s", "gracefulStop": "3s", "env": {"N": 3}, "newBrowserEachIteration": false},
		"feed": {"executor": "ramping-arrival-rate", "timeUnit": "1m", "stages": [{"duration": "1m", "target": 120}], "preAllocatedVUs": 2},
		"once": {"executor": "per-vu-iterations", "vus": 2, "iterations": 3, "vuInit": "login", "vuEnd": "logout"},
		"all": {"executor": "shared-iterations", "vus": 2, "iterations": 10, "maxDuration": "1m"},
		"steady": {"executor": "constant-vus", "vus": 3, "duration": "45s"}
	}, "gracefulStop": "7s"}`
	p, err := plan(t, groups, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	p.Describe(&out)
	want := `group "web": ramping-vus, 0 → 20 VUs at most, 3 stages over 40s, gracefulRampDown 5s, exec default, pacing 2s, gracefulStop 7s, browser per iteration, tags kind=web
    0s → 10s         0 → 20 VUs
    10s → 30s        20 VUs
    30s → 40s        20 → 0 VUs
group "api": constant-arrival-rate, 50 iterations/s for 30s (1500 iterations), 5 pre-allocated VUs, up to 20, exec api, starts at 10s, gracefulStop 3s, browser per VU
group "feed": ramping-arrival-rate, 0 → 120 iterations/min at most, 1 stage over 1m, 2 VUs, exec default, gracefulStop 7s, browser per iteration
    0s → 1m          0 → 120 iterations/min
group "once": per-vu-iterations, 2 VUs × 3 iterations, at most 10m, exec default, gracefulStop 7s, browser per iteration
group "all": shared-iterations, 10 iterations shared by 2 VUs, at most 1m, exec default, gracefulStop 7s, browser per iteration
group "steady": constant-vus, 3 VUs for 45s, exec default, gracefulStop 7s, browser per iteration
total: 49 VUs max, at least 1m, until the iterations are done, at most 10m (plus up to the graceful stop)
`
	if out.String() != want {
		t.Errorf("Describe:\n%s\nwant:\n%s", out.String(), want)
	}
	g := p.Groups[3]
	if g.VUInit != "login" || g.VUEnd != "logout" || p.Groups[0].VUInit != "vuInit" {
		t.Errorf("vuInit/vuEnd %q/%q, default %q", g.VUInit, g.VUEnd, p.Groups[0].VUInit)
	}
	if p.Groups[1].Env["N"] != "3" || p.Groups[0].Tags["kind"] != "web" || p.Groups[0].Pacing != 2*time.Second {
		t.Errorf("env %v, tags %v, pacing %v", p.Groups[1].Env, p.Groups[0].Tags, p.Groups[0].Pacing)
	}
}

func TestGroupsErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, group, want string
	}{
		{"unknown executor", `{"executor": "ramping-users"}`, `options.groups.g.executor: unknown executor "ramping-users": choose one of constant-arrival-rate, constant-vus,`},
		{"no executor", `{"vus": 2}`, "options.groups.g: executor is missing"},
		{"unknown key", `{"executor": "constant-vus", "vus": 2, "duration": "1s", "thinkTime": 1}`, `options.groups.g: unknown key "thinkTime"; the settings of a constant-vus group are executor, exec,`},
		{"key of another executor", `{"executor": "constant-vus", "rate": 2, "duration": "1s"}`, "options.groups.g.rate: a constant-vus group does not use rate"},
		{"negative target", `{"executor": "ramping-vus", "stages": [{"duration": "1s", "target": 3}, {"duration": "1s", "target": -2}]}`, "options.groups.g.stages: [1].target: -2 is negative"},
		{"stage without target", `{"executor": "ramping-vus", "stages": [{"duration": "1s"}]}`, "[0]: a stage needs a duration and a target"},
		{"stages that are no stages", `{"executor": "ramping-vus", "stages": [1, 2]}`,
			"options.groups.g.stages: [0]: must be a stage such as { duration: '30s', target: 10 }, got 1"},
		{"a stage that is no stage", `{"executor": "ramping-vus", "stages": [{"duration": "1s", "target": 1}, "30s"]}`, `options.groups.g.stages: [1]: must be a stage such as { duration: '30s', target: 10 }, got "30s"`},
		{"stages not an array", `{"executor": "ramping-vus", "stages": {"duration": "1s", "target": 1}}`, `options.groups.g.stages: must be an array of stages such as [{ duration: '30s', target: 10 }, { duration: '1m', target: 10 }], got {"duration": "1s", "target": 1}`},
		{"no stages", `{"executor": "ramping-vus", "stages": []}`, "options.groups.g.stages: is empty: give at least one stage"},
		{"stages last 0s", `{"executor": "ramping-vus", "stages": [{"duration": 0, "target": 3}]}`, "the stages last 0s in total"},
		{"ramp without VUs", `{"executor": "ramping-vus", "startVUs": 0, "stages": [{"duration": "1s", "target": 0}]}`, "no stage has a VU"},
		{"maxVUs below preAllocatedVUs", `{"executor": "constant-arrival-rate", "rate": 5, "duration": "1s", "preAllocatedVUs": 10, "maxVUs": 4}`, "options.groups.g.maxVUs: 4 is less than preAllocatedVUs (10)"},
		{"missing rate", `{"executor": "constant-arrival-rate", "duration": "1s", "preAllocatedVUs": 1}`, "options.groups.g.rate: missing"},
		{"missing preAllocatedVUs", `{"executor": "ramping-arrival-rate", "stages": [{"duration": "1s", "target": 3}]}`, "options.groups.g.preAllocatedVUs: missing"},
		{"zero rate", `{"executor": "constant-arrival-rate", "rate": 0, "duration": "1s", "preAllocatedVUs": 1}`, "options.groups.g.rate: must be at least 1"},
		{"zero timeUnit", `{"executor": "constant-arrival-rate", "rate": 1, "timeUnit": 0, "duration": "1s", "preAllocatedVUs": 1}`, "options.groups.g.timeUnit: is 0"},
		{"pacing on arrival rate", `{"executor": "constant-arrival-rate", "rate": 1, "duration": "1s", "preAllocatedVUs": 1, "pacing": "1s"}`, "options.groups.g.pacing: an arrival-rate group starts iterations at its rate"},
		{"constant-vus without duration", `{"executor": "constant-vus", "vus": 2}`, "options.groups.g.duration: missing"},
		{"fewer shared iterations than VUs", `{"executor": "shared-iterations", "vus": 5, "iterations": 2}`, "2 iterations for 5 VUs would leave VUs idle"},
		{"zero vus", `{"executor": "per-vu-iterations", "vus": 0}`, "options.groups.g.vus: must be at least 1"},
		{"bad duration", `{"executor": "constant-vus", "duration": "5"}`, `options.groups.g.duration: invalid duration "5": add a unit`},
		{"bad exec", `{"executor": "constant-vus", "duration": "5s", "exec": 3}`, "options.groups.g.exec: must be the name of an exported function"},
		{"bad tags", `{"executor": "constant-vus", "duration": "5s", "tags": ["a"]}`, "options.groups.g.tags: must be an object"},
		{"not an object", `3`, "options.groups.g must be an object"},
	} {
		_, err := plan(t, `{"groups": {"g": `+tt.group+`}}`, Overrides{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestShortcutPlans(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, opts string
		ov         Overrides
		want       string // Describe of the single group's executor, or an error
	}{
		{"stages", `{"stages": [{"duration": "10s", "target": 5}]}`, Overrides{},
			"ramping-vus, 1 → 5 VUs at most, 1 stage over 10s, gracefulRampDown 30s"},
		{"stages from vus", `{"vus": 3, "stages": [{"duration": "10s", "target": 0}]}`, Overrides{},
			"ramping-vus, 3 → 3 VUs at most, 1 stage over 10s, gracefulRampDown 30s"},
		{"--duration replaces stages", `{"stages": [{"duration": "10s", "target": 5}]}`, Overrides{VUs: ptr[int64](2), Duration: ptr(time.Minute)},
			"constant-vus, 2 VUs for 1m"},
		{"--vus starts the stages", `{"stages": [{"duration": "10s", "target": 5}]}`, Overrides{VUs: ptr[int64](2)},
			"ramping-vus, 2 → 5 VUs at most, 1 stage over 10s, gracefulRampDown 30s"},
		{"flags replace groups", `{"groups": {"g": {"executor": "constant-vus", "duration": "1s"}}}`, Overrides{Iterations: ptr[int64](4)},
			"shared-iterations, 4 iterations shared by 1 VUs"},
		{"stages with duration", `{"duration": "1m", "stages": [{"duration": "10s", "target": 5}]}`, Overrides{},
			"error: options.stages comes with options.duration"},
		{"negative stage target", `{"stages": [{"duration": "10s", "target": -5}]}`, Overrides{},
			"error: options.stages[0].target: -5 is negative"},
		{"groups and vus", `{"vus": 3, "groups": {"g": {"executor": "constant-vus", "duration": "1s"}}}`, Overrides{},
			"error: options.groups comes with options.vus"},
		{"empty groups", `{"groups": {}}`, Overrides{}, "error: options.groups is empty"},
	} {
		p, err := plan(t, tt.opts, tt.ov)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = p.Groups[0].Executor.Describe()
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGroupsKeepTheirOrder(t *testing.T) {
	t.Parallel()
	p, err := plan(t, `{"groups": {"zeta": {"executor": "per-vu-iterations"}, "alpha": {"executor": "per-vu-iterations"}, "mid": {"executor": "per-vu-iterations"}}}`, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range p.Groups {
		names = append(names, g.Name)
	}
	if strings.Join(names, ",") != "zeta,alpha,mid" {
		t.Errorf("groups in order %v, want zeta, alpha, mid", names)
	}
}

func FuzzBuildPlanGroups(f *testing.F) {
	for _, s := range []string{
		`{"groups": {"a": {"executor": "ramping-vus", "stages": [{"duration": "1s", "target": 3}]}}}`,
		`{"groups": {"a": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 1, "timeUnit": "1m", "stages": [{"duration": 0, "target": 60}, {"duration": "2s", "target": 0}]}}}`,
		`{"groups": {"a": {"executor": "constant-arrival-rate", "rate": 7, "duration": "3s", "preAllocatedVUs": 2, "maxVUs": 9}, "b": {"executor": "per-vu-iterations", "vus": 2}}}`,
		`{"stages": [{"duration": "1s", "target": 1e20}]}`,
		`{"groups": {"a": {"executor": "shared-iterations", "vus": 1e300}}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOptions([]byte(s))
		if err != nil {
			return
		}
		p, err := BuildPlan(o, Overrides{})
		if err != nil {
			return
		}
		p.Describe(io.Discard)
		for _, g := range p.Groups {
			e := g.Executor
			if e.InitVUs() > e.MaxVUs() || e.MaxVUs() < 1 || e.PlannedDuration() < 0 {
				t.Errorf("group %q: %d VUs initialised of %d, planned %v", g.Name, e.InitVUs(), e.MaxVUs(), e.PlannedDuration())
			}
		}
	})
}
