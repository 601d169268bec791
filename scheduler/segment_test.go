package scheduler

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// randomExecutor returns an executor of a random kind with small random settings
// (arrival schedules of at most a few hundred starts, so they can be walked).
func randomExecutor(r *rand.Rand) Executor {
	n := func(lo, hi int) int64 { return int64(lo + r.IntN(hi-lo+1)) }
	stages := func(unit int) []Stage {
		st := make([]Stage, 1+r.IntN(4))
		for i := range st {
			st[i] = Stage{Duration: time.Duration(n(0, 3000)) * time.Millisecond, Target: n(0, unit)}
		}
		st[0].Duration += time.Millisecond // at least one stage lasts
		return st
	}
	pool := func() VUPool {
		p := VUPool{PreAllocated: n(1, 30)}
		p.Max = p.PreAllocated + n(0, 30)
		return p
	}
	switch r.IntN(6) {
	case 0:
		return &PerVUIterations{VUs: n(1, 60), Iterations: n(1, 9), MaxDuration: time.Minute}
	case 1:
		v := n(1, 60)
		return &SharedIterations{VUs: v, Iterations: v + n(0, 200)}
	case 2:
		return &ConstantVUs{VUs: n(1, 60), Duration: time.Second}
	case 3:
		e := &RampingVUs{StartVUs: n(0, 10), Stages: stages(60), GracefulRampDown: time.Second}
		if e.MaxVUs() == 0 {
			e.StartVUs = 1
		}
		return e
	case 4:
		return &ConstantArrivalRate{Rate: n(1, 50), TimeUnit: time.Duration(n(1, 4)) * 250 * time.Millisecond,
			Duration: time.Duration(n(1, 3000)) * time.Millisecond, Pool: pool()}
	}
	return &RampingArrivalRate{StartRate: n(0, 20), Stages: stages(40), TimeUnit: time.Second, Pool: pool()}
}

func randomPlan(r *rand.Rand) *Plan {
	p := &Plan{}
	for i := range 1 + r.IntN(4) {
		p.Groups = append(p.Groups, &Group{Name: fmt.Sprintf("g%d", i), Executor: randomExecutor(r)})
	}
	return p
}

// segmentTrials is the number of random plans TestSegmentsAddUp splits
// (SEGMENT_TRIALS overrides it), each into N = 1 to 16 parts.
func segmentTrials(t *testing.T) int {
	if s := os.Getenv("SEGMENT_TRIALS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("SEGMENT_TRIALS=%q", s)
		}
		return n
	}
	if testing.Short() {
		return 200
	}
	return 2000
}

// TestSegmentsAddUp splits thousands of random plans into N = 1..16 parts and
// checks that the union of the parts is the whole plan: every VU index, every
// numbered iteration and every arrival start exactly once, at the same time,
// and at every instant of a ramp the segments' active VUs add up to the whole's.
func TestSegmentsAddUp(t *testing.T) {
	t.Parallel()
	trials := segmentTrials(t)
	for trial := range trials {
		seed := uint64(trial)
		r := rand.New(rand.NewPCG(seed, 7))
		p := randomPlan(r)
		for n := 1; n <= 16; n++ {
			parts := make([]*Plan, n)
			for i := range parts {
				var err error
				if parts[i], err = p.Part(Segment{Index: i, Count: n}); err != nil {
					t.Fatal(err)
				}
			}
			if err := checkParts(p, parts); err != nil {
				t.Fatalf("plan %d (seed %d) split in %d: %v", trial, seed, n, err)
			}
		}
	}
}

// checkParts compares the parts of p with p, group by group.
func checkParts(p *Plan, parts []*Plan) error {
	var sumMax int64
	for _, q := range parts {
		sumMax += q.MaxVUs()
		if q.Whole() != p {
			return fmt.Errorf("a part's Whole is not the plan")
		}
	}
	if sumMax != p.MaxVUs() {
		return fmt.Errorf("the parts have %d VUs at most, the whole %d", sumMax, p.MaxVUs())
	}
	for gi, g := range p.Groups {
		gs := make([]*Group, len(parts))
		for i, q := range parts {
			gs[i] = q.Groups[gi]
		}
		if err := checkGroupParts(g, gs); err != nil {
			return fmt.Errorf("group %s (%s): %w", g.Name, g.Executor.Describe(), err)
		}
	}
	return nil
}

func checkGroupParts(g *Group, parts []*Group) error {
	var initVUs int64
	var vus []int64
	for _, q := range parts {
		initVUs += q.Executor.InitVUs()
		for c := range q.Executor.MaxVUs() {
			vus = append(vus, q.vus.nth(c))
		}
	}
	if initVUs != g.Executor.InitVUs() {
		return fmt.Errorf("the parts initialise %d VUs, the whole %d", initVUs, g.Executor.InitVUs())
	}
	if err := isRange(vus, g.Executor.MaxVUs()); err != nil {
		return fmt.Errorf("VU indexes: %w", err)
	}
	switch e := g.Executor.(type) {
	case *PerVUIterations:
		return checkNumbers(parts, e.VUs*e.Iterations, func(x Executor) int64 {
			p := x.(*PerVUIterations)
			return p.VUs * p.Iterations
		})
	case *SharedIterations:
		for _, q := range parts {
			x := q.Executor.(*SharedIterations)
			if x.Iterations < x.VUs || (x.VUs == 0) != (x.Iterations == 0) {
				return fmt.Errorf("a part has %d iterations for %d VUs", x.Iterations, x.VUs)
			}
		}
		return checkNumbers(parts, e.Iterations, func(x Executor) int64 { return x.(*SharedIterations).Iterations })
	case *ConstantVUs, *RampingVUs:
		if err := checkNumbers(parts, 50*int64(len(parts)), func(Executor) int64 { return 50 }); err != nil {
			return err
		}
		if e, ok := e.(*RampingVUs); ok {
			return checkRamp(e, parts)
		}
	case *ConstantArrivalRate, *RampingArrivalRate:
		return checkArrivals(g.Executor, parts)
	}
	return nil
}

// checkNumbers checks that the group-wide numbers of the parts' iterations
// (each part numbering local(part) of them) are 0 .. total-1, each once.
func checkNumbers(parts []*Group, total int64, local func(Executor) int64) error {
	var got []int64
	for _, q := range parts {
		st := iterationStripe(q.Executor)
		for i := range local(q.Executor) {
			got = append(got, st.nth(i))
		}
	}
	if err := isRange(got, total); err != nil {
		return fmt.Errorf("iteration numbers: %w", err)
	}
	return nil
}

func iterationStripe(e Executor) stripe {
	switch x := e.(type) {
	case *PerVUIterations:
		return x.part.iterations()
	case *SharedIterations:
		return x.part.iterations()
	case *ConstantVUs:
		return x.part.iterations()
	case *RampingVUs:
		return x.part.iterations()
	case *ConstantArrivalRate:
		return x.part.iterations()
	case *RampingArrivalRate:
		return x.part.iterations()
	}
	panic("unknown executor")
}

// checkRamp walks the whole ramp's changes: at each the parts' active VUs add
// up to the whole's, and none exceeds its part's VUs.
func checkRamp(e *RampingVUs, parts []*Group) error {
	c := newRampCursor(e.StartVUs, e.Stages)
	target := e.StartVUs
	for {
		var sum int64
		for _, q := range parts {
			x := q.Executor.(*RampingVUs)
			a := x.active(target)
			if a > x.MaxVUs() {
				return fmt.Errorf("a part is to run %d VUs of its %d", a, x.MaxVUs())
			}
			sum += a
		}
		if sum != target {
			return fmt.Errorf("at %d VUs the parts run %d", target, sum)
		}
		var ok bool
		if _, target, ok = c.next(); !ok {
			return nil
		}
	}
}

type start struct {
	at time.Duration
	n  int64
}

// walk returns the starts of an arrival-rate executor's schedule, numbered as
// the run numbers them.
func walk(e Executor) []start {
	var s arrivalSchedule
	var num stripe
	switch x := e.(type) {
	case *ConstantArrivalRate:
		s, num = x.schedule(), x.part.iterations()
	case *RampingArrivalRate:
		s, num = x.schedule(), x.part.iterations()
	}
	var out []start
	for {
		at, ok := s.next()
		if !ok {
			return out
		}
		out = append(out, start{at, num.nth(int64(len(out)))})
	}
}

// checkArrivals: the parts' starts are the whole's, each once at its time, and
// a part without VUs starts nothing.
func checkArrivals(whole Executor, parts []*Group) error {
	want := walk(whole)
	seen := make([]bool, len(want))
	for i, q := range parts {
		got := walk(q.Executor)
		if len(got) > 0 && q.Executor.MaxVUs() == 0 {
			return fmt.Errorf("part %d has no VU but %d starts", i, len(got))
		}
		for _, s := range got {
			if s.n < 0 || s.n >= int64(len(want)) || seen[s.n] {
				return fmt.Errorf("part %d: start %d is not the whole's or is repeated", i, s.n)
			}
			if want[s.n].at != s.at {
				return fmt.Errorf("part %d: start %d at %v, the whole's at %v", i, s.n, s.at, want[s.n].at)
			}
			seen[s.n] = true
		}
	}
	if i := slices.Index(seen, false); i >= 0 {
		return fmt.Errorf("start %d of %d is in no part", i, len(want))
	}
	return nil
}

// isRange checks that got holds 0 .. n-1, each once.
func isRange(got []int64, n int64) error {
	if int64(len(got)) != n {
		return fmt.Errorf("%d in the parts, want %d", len(got), n)
	}
	slices.Sort(got)
	for i, v := range got {
		if v != int64(i) {
			return fmt.Errorf("%d missing or repeated (sorted: ... %v ...)", i, got[max(0, i-2):min(len(got), i+3)])
		}
	}
	return nil
}

// TestSegmentsSpreadEvenly: the segments' shares differ by at most one VU per
// group, and an arrival rate split N ways gives each segment every N-th start.
func TestSegmentsSpreadEvenly(t *testing.T) {
	t.Parallel()
	p := &Plan{Groups: []*Group{
		{Name: "a", Executor: &ConstantVUs{VUs: 10, Duration: time.Second}},
		{Name: "b", Executor: &ConstantArrivalRate{Rate: 200, TimeUnit: time.Second, Duration: 100 * time.Millisecond,
			Pool: VUPool{PreAllocated: 6, Max: 6}}},
	}}
	wantVUs := []int64{4, 3, 3}
	for i := range 3 {
		q, err := p.Part(Segment{Index: i, Count: 3})
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Groups[0].Executor.MaxVUs(); got != wantVUs[i] {
			t.Errorf("segment %d: %d VUs of 10, want %d", i, got, wantVUs[i])
		}
		starts := walk(q.Groups[1].Executor)
		for k, s := range starts {
			// Group b's VUs start at index 10 of the test: segment (10+j) mod 3 owns start j.
			if (10+s.n)%3 != int64(i) || (k > 0 && s.at-starts[k-1].at != 15*time.Millisecond) {
				t.Errorf("segment %d: start %d (number %d) at %v", i, k, s.n, s.at)
			}
		}
		if len(starts) < 6 || len(starts) > 7 {
			t.Errorf("segment %d: %d of the 20 starts", i, len(starts))
		}
	}
}

func TestParseSegment(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == SegmentIndexEnv {
				return v
			}
			return ""
		}
	}
	cases := []struct {
		in, env string
		want    Segment
		err     string
	}{
		{"0/3", "", Segment{0, 3}, ""},
		{" 2 / 3 ", "", Segment{2, 3}, ""},
		{"auto/4", "3", Segment{3, 4}, ""},
		{"auto/4", "", Segment{}, "JOB_COMPLETION_INDEX is not set"},
		{"auto/4", "4", Segment{}, "from 0 to 3"},
		{"3/3", "", Segment{}, "from 0 to 2"},
		{"-1/3", "", Segment{}, "from 0 to 2"},
		{"1", "", Segment{}, "write I/N"},
		{"1/0", "", Segment{}, "N must be"},
		{"a/b", "", Segment{}, "N must be"},
	}
	for _, c := range cases {
		got, err := ParseSegment(c.in, env(c.env))
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseSegment(%q) error %v, want %q", c.in, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("ParseSegment(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func FuzzParseSegment(f *testing.F) {
	for _, s := range []string{"0/3", "auto/2", "9/10", "x"} {
		f.Add(s, "1")
	}
	f.Fuzz(func(t *testing.T, s, idx string) {
		seg, err := ParseSegment(s, func(string) string { return idx })
		if err == nil && (seg.Index < 0 || seg.Index >= seg.Count || seg.Count > MaxSegments) {
			t.Errorf("ParseSegment(%q) = %v", s, seg)
		}
	})
}

// TestSegmentProgressTotal: execution.scenario.progress counts an
// iteration's group-wide number, so a segment's part divides it by the whole
// group's iterations, not by its own share.
func TestSegmentProgressTotal(t *testing.T) {
	t.Parallel()
	p := &Plan{Groups: []*Group{
		{Name: "shared", Executor: &SharedIterations{VUs: 6, Iterations: 30, MaxDuration: time.Second}},
		{Name: "pervu", Executor: &PerVUIterations{VUs: 6, Iterations: 5, MaxDuration: time.Second}},
	}}
	for i := range 3 {
		q, err := p.Part(Segment{Index: i, Count: 3})
		if err != nil {
			t.Fatal(err)
		}
		for g, want := range []int64{30, 30} {
			if got := iterationTotal(q.Groups[g].Executor); got != want {
				t.Errorf("segment %d, group %s: total %d, want the whole group's %d", i, q.Groups[g].Name, got, want)
			}
		}
	}
}
