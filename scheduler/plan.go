package scheduler

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// DefaultGracefulStop is how long running iterations get to finish after the end of
// a duration or a first Ctrl+C, unless options.gracefulStop says otherwise.
const DefaultGracefulStop = 30 * time.Second

// Plan is the resolved load shape of a test: its VU groups.
type Plan struct {
	Groups []*Group
}

// Group is one VU group: its VUs run the export Exec as the executor drives them.
type Group struct {
	Name         string
	Executor     Executor
	Exec         string
	StartTime    time.Duration
	GracefulStop time.Duration
	Env          map[string]string
}

// Overrides are the command-line flags that take precedence over options.
type Overrides struct {
	VUs        *int64
	Iterations *int64
	Duration   *time.Duration
}

// BuildPlan resolves options and flag overrides into a plan. The shortcut form
// (vus/iterations/duration) gives one group named "default":
//
//	vus + duration          → constant-vus
//	vus + iterations        → shared-iterations (bounded by duration if given)
//	iterations only         → shared-iterations on 1 VU
//	vus only                → shared-iterations, one iteration per VU
//	nothing                 → 1 VU, 1 iteration
func BuildPlan(o Options, ov Overrides) (*Plan, error) {
	vus, iters, dur := o.VUs, o.Iterations, o.Duration
	if ov.VUs != nil {
		vus = ov.VUs
	}
	if ov.Iterations != nil {
		iters = ov.Iterations
	}
	if ov.Duration != nil {
		dur = ov.Duration
	}
	if len(o.Groups) > 0 && string(o.Groups) != "null" && ov.VUs == nil && ov.Iterations == nil && ov.Duration == nil {
		return nil, fmt.Errorf("options.groups: VU groups are not supported by this version yet; use vus, iterations and duration")
	}
	if len(o.Stages) > 0 && string(o.Stages) != "null" {
		return nil, fmt.Errorf("options.stages: ramping stages are not supported by this version yet; use vus and duration")
	}
	g := &Group{Name: "default", Exec: "default", GracefulStop: DefaultGracefulStop}
	if o.GracefulStop != nil {
		g.GracefulStop = *o.GracefulStop
	}
	n := int64(1)
	if vus != nil {
		n = *vus
	}
	if n == 0 {
		return nil, fmt.Errorf("vus is 0: a test needs at least one VU (--vus 1)")
	}
	switch {
	case iters != nil:
		var maxDur time.Duration
		if dur != nil {
			maxDur = *dur
		}
		if *iters < n && *iters > 0 {
			n = *iters // more VUs than iterations would idle
		}
		g.Executor = &SharedIterations{VUs: n, Iterations: *iters, MaxDuration: maxDur}
	case dur != nil:
		if *dur == 0 {
			return nil, fmt.Errorf("duration is 0: give a positive duration, e.g. --duration 30s")
		}
		g.Executor = &ConstantVUs{VUs: n, Duration: *dur}
	default:
		g.Executor = &SharedIterations{VUs: n, Iterations: n}
	}
	return &Plan{Groups: []*Group{g}}, nil
}

// Describe writes the plan for `jsload check`: each group, its executor, VUs over
// time and the planned total duration.
func (p *Plan) Describe(w io.Writer) {
	var longest time.Duration
	for _, g := range p.Groups {
		fmt.Fprintf(w, "group %q: %s, exec %s", g.Name, g.Executor.Describe(), g.Exec)
		if g.StartTime > 0 {
			fmt.Fprintf(w, ", starts at %s", FormatDuration(g.StartTime))
		}
		fmt.Fprintf(w, ", gracefulStop %s\n", FormatDuration(g.GracefulStop))
		if d := g.Executor.PlannedDuration(); d > 0 {
			longest = max(longest, g.StartTime+d)
		}
	}
	total := "until the iterations are done"
	if longest > 0 {
		total = FormatDuration(longest) + " (plus up to the graceful stop)"
		for _, g := range p.Groups {
			if g.Executor.PlannedDuration() == 0 {
				total = "at least " + total + ", until the iterations are done"
				break
			}
		}
	}
	fmt.Fprintf(w, "total: %d VUs max, %s\n", p.MaxVUs(), strings.TrimSpace(total))
}

// PlannedDuration is when the last group with a duration ends (0 when every group
// ends by iteration count).
func (p *Plan) PlannedDuration() time.Duration {
	var longest time.Duration
	for _, g := range p.Groups {
		if d := g.Executor.PlannedDuration(); d > 0 {
			longest = max(longest, g.StartTime+d)
		}
	}
	return longest
}

// MaxVUs is the number of VUs the plan initialises.
func (p *Plan) MaxVUs() int64 {
	var n int64
	for _, g := range p.Groups {
		n += g.Executor.MaxVUs()
	}
	return n
}
