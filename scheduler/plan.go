package scheduler

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// DefaultGracefulStop is how long running iterations get to finish after the end of
// a duration or a first Ctrl+C, unless options.gracefulStop says otherwise.
const DefaultGracefulStop = 30 * time.Second

// Plan is the resolved load shape of a test: its VU groups.
type Plan struct {
	Groups []*Group
	// Notes are remarks on how the plan was resolved, printed with it.
	Notes []string
	// Segment is the part of the test this plan is (Plan.Part); zero for
	// the whole test.
	Segment Segment

	whole *Plan // the whole test's plan when this is a segment's part
}

// Group is one VU group: its VUs run the export Exec as the executor drives them.
type Group struct {
	Name         string
	Executor     Executor
	Exec         string // the export each iteration calls
	StartTime    time.Duration
	GracefulStop time.Duration
	Env          map[string]string // merged over the command line's -e pairs
	Tags         map[string]string // added to the samples the scheduler records for the group
	VUInit       string            // export run once per VU before its first iteration
	VUEnd        string            // export run once per VU at its end
	Pacing       time.Duration     // minimum time between the starts of a VU's iterations
	// NewBrowserEachIteration gives each iteration of a VU a new browser: the
	// VU's cookie jar is emptied and its idle connections closed before each
	// iteration but its first, and the background scripts vuInit created with
	// stop 'vu' are halted when its first iteration ends (jsruntime's browser).
	// Otherwise the VU keeps one browser for its life.
	NewBrowserEachIteration bool
	// BrowserReset says what such a new browser keeps of the old one: nothing
	// in jsload's dialect; a k6 script's keeps its connections, as k6 does
	// (see resolveBrowsers).
	BrowserReset bindings.BrowserReset

	newBrowser *bool // the group's own setting, nil if it has none (resolved by buildPlan)

	vus stripe // which of the whole group's VUs a segment's part runs (zero: all)
}

// DefaultNewBrowserEachIteration is a group's newBrowserEachIteration unless
// the group or the options say otherwise: true, as k6 (a new cookie jar each
// iteration), NeoLoad ("emulate new browser between each iteration") and
// LoadRunner ("simulate a new user on each iteration") do by default. An
// iteration is one user's visit: without it, a test would reuse one session
// and one kept-alive connection over all of a VU's visits, and miss the
// logins, handshakes and new sessions real visitors cost a server.
const DefaultNewBrowserEachIteration = true

// Overrides are the command-line flags that take precedence over options.
type Overrides struct {
	VUs        *int64
	Iterations *int64
	Duration   *time.Duration
}

func (ov Overrides) any() bool { return ov.VUs != nil || ov.Iterations != nil || ov.Duration != nil }

func present(raw []byte) bool { return len(raw) > 0 && string(raw) != "null" }

// BuildPlan resolves options and flag overrides into a plan: options.groups as
// written, or the shortcut form, which gives one group named "default":
//
//	vus + duration          → constant-vus
//	vus + iterations        → shared-iterations (bounded by duration if given)
//	iterations only         → shared-iterations on 1 VU
//	stages (+ vus)          → ramping-vus starting at vus (default 1)
//	vus only                → shared-iterations, one iteration per VU
//	nothing                 → 1 VU, 1 iteration
//
// The --vus, --iterations and --duration flags override the shortcut options and
// replace options.groups; --iterations and --duration replace options.stages.
func BuildPlan(o Options, ov Overrides) (*Plan, error) {
	return BuildPlanPart(o, ov, Segment{})
}

// BuildPlanPart resolves the plan of the whole test as BuildPlan does and
// returns the part seg of it (Plan.Part), or the whole plan for the zero
// Segment. The bound on VUs applies to the part, which is what one process runs.
func BuildPlanPart(o Options, ov Overrides, seg Segment) (*Plan, error) {
	p, err := buildPlan(o, ov)
	if err == nil && seg.Count > 0 {
		p, err = p.Part(seg)
	}
	if err == nil && p.MaxVUs() > MaxPlanVUs {
		if seg.Count > 0 {
			return nil, fmt.Errorf("segment %s needs up to %d VUs, more than one jsload process runs (%d): run the test in more segments", seg, p.MaxVUs(), MaxPlanVUs)
		}
		return nil, fmt.Errorf("the plan needs up to %d VUs, more than one jsload process runs (%d): lower vus, maxVUs or the stages' targets, or split the test with --segment", p.MaxVUs(), MaxPlanVUs)
	}
	return p, err
}

// MaxPlanVUs bounds the VUs of a plan: each VU is a JavaScript runtime of a few
// tens of KiB, so more would not fit in one process anyway.
const MaxPlanVUs = 1_000_000

func buildPlan(o Options, ov Overrides) (*Plan, error) {
	gracefulStop := DefaultGracefulStop
	if o.GracefulStop != nil {
		gracefulStop = *o.GracefulStop
	}
	shortcut := o.VUs != nil || o.Iterations != nil || o.Duration != nil || present(o.Stages)
	if present(o.Groups) && !ov.any() {
		if shortcut {
			return nil, fmt.Errorf("options.%s comes with options.vus, iterations, duration or stages: these make one default group, so give either %s or them, not both", cmp.Or(o.GroupsKey, "groups"), cmp.Or(o.GroupsKey, "groups"))
		}
		groups, err := parseGroups(o.Groups, groupDefaults{key: cmp.Or(o.GroupsKey, "groups"), gracefulStop: gracefulStop, pacing: o.MinIterationDuration})
		if err != nil {
			return nil, err
		}
		p := &Plan{Groups: groups}
		p.resolveBrowsers(o)
		return p, nil
	}
	p, err := shortcutPlan(o, ov, gracefulStop)
	if err == nil {
		p.resolveBrowsers(o)
	}
	if err == nil && present(o.Groups) {
		p.Notes = append(p.Notes, fmt.Sprintf("the --vus, --iterations and --duration flags replace options.%s with one default group", cmp.Or(o.GroupsKey, "groups")))
	}
	return p, err
}

func shortcutPlan(o Options, ov Overrides, gracefulStop time.Duration) (*Plan, error) {
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
	g := &Group{Name: "default", Exec: "default", GracefulStop: gracefulStop, VUInit: "vuInit", VUEnd: "vuEnd", Pacing: o.MinIterationDuration}
	var notes []string
	if present(o.Stages) {
		if ov.Iterations != nil || ov.Duration != nil {
			notes = append(notes, "the --iterations and --duration flags replace options.stages")
		} else {
			if dur != nil || iters != nil {
				return nil, fmt.Errorf("options.stages comes with options.duration or iterations: stages set the test's length, so remove duration and iterations")
			}
			stages, err := parseStages(o.Stages, "VUs")
			if err != nil {
				return nil, fmt.Errorf("options.stages%w", prefixErr(err))
			}
			start := int64(1)
			if vus != nil {
				start = *vus
			}
			g.Executor = &RampingVUs{StartVUs: start, Stages: stages, GracefulRampDown: DefaultGracefulRampDown}
			if g.Executor.MaxVUs() == 0 {
				return nil, fmt.Errorf("options.stages: no stage has a VU: give a stage a target of 1 or more")
			}
			return &Plan{Groups: []*Group{g}}, nil
		}
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
	return &Plan{Groups: []*Group{g}, Notes: notes}, nil
}

// resolveBrowsers sets each group's NewBrowserEachIteration and BrowserReset:
// its own setting, else options.newBrowserEachIteration, else, for a k6
// script or one that sets k6's noCookiesReset or noVUConnectionReuse, k6's
// behaviour (a new cookie jar each iteration unless noCookiesReset, the
// connections kept unless noVUConnectionReuse), else the default.
func (p *Plan) resolveBrowsers(o Options) {
	def := DefaultNewBrowserEachIteration
	var reset bindings.BrowserReset
	switch {
	case o.NewBrowserEachIteration != nil:
		def = *o.NewBrowserEachIteration
	case o.K6 || o.NoCookiesReset != nil || o.NoVUConnectionReuse != nil:
		cookies := o.NoCookiesReset == nil || !*o.NoCookiesReset
		conns := o.NoVUConnectionReuse != nil && *o.NoVUConnectionReuse
		def = cookies || conns
		reset = bindings.BrowserReset{KeepCookies: !cookies, KeepConnections: !conns}
	}
	for _, g := range p.Groups {
		g.NewBrowserEachIteration, g.BrowserReset = def, reset
		if g.newBrowser != nil {
			g.NewBrowserEachIteration, g.BrowserReset = *g.newBrowser, bindings.BrowserReset{}
		}
	}
}

// prefixErr makes err read well after a key: "[2].target: ..." stays, anything
// else gets ": ".
func prefixErr(err error) error {
	if strings.HasPrefix(err.Error(), "[") {
		return err
	}
	return fmt.Errorf(": %w", err)
}

// Describe writes the plan for `jsload check` and the start of a run: each group
// with its executor, one line per stage of a ramp, and the planned total.
func (p *Plan) Describe(w io.Writer) {
	if p.whole != nil {
		fmt.Fprintf(w, "segment %s: this process runs part %d of the %d parts of the test (%d VUs max in the whole test)\n",
			p.Segment, p.Segment.Index, p.Segment.Count, p.Whole().MaxVUs())
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, g := range p.Groups {
		fmt.Fprintf(w, "group %q: %s, exec %s", g.Name, g.Executor.Describe(), g.Exec)
		if g.StartTime > 0 {
			fmt.Fprintf(w, ", starts at %s", FormatDuration(g.StartTime))
		}
		if g.Pacing > 0 {
			fmt.Fprintf(w, ", pacing %s", FormatDuration(g.Pacing))
		}
		fmt.Fprintf(w, ", gracefulStop %s", FormatDuration(g.GracefulStop))
		switch {
		case !g.NewBrowserEachIteration:
			fmt.Fprint(w, ", browser per VU")
		case g.BrowserReset.KeepConnections:
			fmt.Fprint(w, ", cookies per iteration (connections kept, as k6)")
		case g.BrowserReset.KeepCookies:
			fmt.Fprint(w, ", connections per iteration (cookies kept, noCookiesReset)")
		default:
			fmt.Fprint(w, ", browser per iteration")
		}
		if len(g.Tags) > 0 {
			fmt.Fprintf(w, ", tags %s", metrics.TagsFromMap(g.Tags))
		}
		fmt.Fprintln(w)
		for _, line := range g.Executor.timeline() {
			fmt.Fprintf(w, "    %s\n", line)
		}
	}
	fmt.Fprintf(w, "total: %d VUs max, %s\n", p.MaxVUs(), p.describeLength())
}

// describeLength says how long the plan runs.
func (p *Plan) describeLength() string {
	timed := p.PlannedDuration() // latest end of the groups with a duration
	var counted time.Duration    // latest end of the groups with a maxDuration
	unbounded := false           // a group ends only when its iterations are done
	for _, g := range p.Groups {
		if !g.Executor.endsByCount() {
			continue
		}
		if d := g.Executor.PlannedDuration(); d > 0 {
			counted = max(counted, g.StartTime+d)
		} else {
			unbounded = true
		}
	}
	if counted == 0 && !unbounded {
		return FormatDuration(timed) + " (plus up to the graceful stop)"
	}
	var parts []string
	if timed > 0 {
		parts = append(parts, "at least "+FormatDuration(timed))
	}
	parts = append(parts, "until the iterations are done")
	if !unbounded {
		parts = append(parts, "at most "+FormatDuration(max(timed, counted))+" (plus up to the graceful stop)")
	}
	return strings.Join(parts, ", ")
}

// PlannedDuration is when the last group that runs for a duration ends (0 when
// every group ends by iteration count: their maxDuration is a bound, not a plan).
func (p *Plan) PlannedDuration() time.Duration {
	var longest time.Duration
	for _, g := range p.Groups {
		if !g.Executor.endsByCount() {
			longest = max(longest, g.StartTime+g.Executor.PlannedDuration())
		}
	}
	return longest
}

// MaxVUs is the most VUs the plan may use (arrival-rate groups initialise some of
// theirs on demand).
func (p *Plan) MaxVUs() int64 {
	var n int64
	for _, g := range p.Groups {
		n += g.Executor.MaxVUs()
	}
	return n
}
