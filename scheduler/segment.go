package scheduler

import (
	"fmt"
	"strconv"
	"strings"
)

// Segment names the part of a distributed test one jsload process runs
// (`--segment I/N`): part Index (0-based) of Count. The zero Segment is the
// whole test.
//
// The split is striped, as k6's execution segments are: the indexes of a group's
// VUs, of its iterations and of its arrival-rate starts are dealt to the segments
// in turn, so every segment runs an even share spread over the whole test (not
// the first or last third of it), and the parts of all segments add up to the
// whole exactly. Each segment computes its part alone, as a pure function of the
// plan and its Segment (Plan.Part), so no coordination is needed to split.
//
// Segment i owns VU index k of a group whose VUs start at index base in the
// whole test when (base + k) mod Count = i: the whole test's VUs, counted group
// after group, are dealt round-robin, so even many small groups spread over the
// segments. Iterations and starts follow the VUs (see each executor's split).
type Segment struct {
	Index int
	Count int
}

// MaxSegments bounds Count: more processes than that would be a test of
// millions of machines.
const MaxSegments = 100_000

// Whole reports whether s is the whole test (no --segment, or 0/1).
func (s Segment) Whole() bool { return s.Count <= 1 }

// String writes s as --segment takes it: "1/3".
func (s Segment) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// SegmentIndexEnv is the variable `--segment auto/N` reads the index from: the
// index of a pod of a Kubernetes Indexed Job.
const SegmentIndexEnv = "JOB_COMPLETION_INDEX"

// ParseSegment reads "I/N" (0 ≤ I < N) or "auto/N", which takes I from the
// JOB_COMPLETION_INDEX variable through getenv.
func ParseSegment(s string, getenv func(string) string) (Segment, error) {
	const form = "write I/N, the part I (0 to N-1) of N, e.g. 0/3, or auto/N to read I from " + SegmentIndexEnv
	i, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Segment{}, fmt.Errorf("segment %q: %s", s, form)
	}
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || count < 1 || count > MaxSegments {
		return Segment{}, fmt.Errorf("segment %q: N must be a whole number from 1 to %d: %s", s, MaxSegments, form)
	}
	i = strings.TrimSpace(i)
	if i == "auto" {
		v := getenv(SegmentIndexEnv)
		if v == "" {
			return Segment{}, fmt.Errorf("segment %q: %s is not set: run the instances as a Kubernetes Indexed Job, set it, or give the index, e.g. 0/%d", s, SegmentIndexEnv, count)
		}
		i = v
	}
	index, err := strconv.Atoi(i)
	if err != nil || index < 0 || index >= count {
		return Segment{}, fmt.Errorf("segment %q: index %q must be a whole number from 0 to %d: %s", s, i, count-1, form)
	}
	return Segment{Index: index, Count: count}, nil
}

// stripe is the part of the indexes 0, 1, 2, ... that one segment owns: in each
// period of P consecutive indexes, the count indexes first, first+step, ...,
// first+(count-1)·step. The zero stripe owns every index (the whole test). It is
// the one shape every split takes:
//
//	VUs of a group, iterations of an endless closed model:  period N, one index
//	per-vu-iterations with I each:                          period N·I, the I of one VU
//	shared iterations, arrival starts (by the VUs' share):  period V, the segment's VUs
type stripe struct {
	period, first, step, count int64
}

// nth returns the n-th index (0-based) the stripe owns.
func (s stripe) nth(n int64) int64 {
	if s.period == 0 {
		return n
	}
	return (n/s.count)*s.period + s.first + (n%s.count)*s.step
}

// owned returns how many of the indexes 0 .. total-1 the stripe owns.
func (s stripe) owned(total int64) int64 {
	if s.period == 0 {
		return total
	}
	full, rest := total/s.period, total%s.period
	n := full * s.count
	if rest > s.first {
		n += min(s.count, residues(rest-s.first, 0, s.step))
	}
	return n
}

// owns reports whether the stripe owns index g.
func (s stripe) owns(g int64) bool {
	if s.period == 0 {
		return true
	}
	m := g%s.period - s.first
	return s.count > 0 && m >= 0 && m%s.step == 0 && m/s.step < s.count
}

// residues returns how many k in [0, total) have k mod n = r (0 ≤ r < n).
func residues(total, r, n int64) int64 {
	if total <= r {
		return 0
	}
	return (total-r-1)/n + 1
}

// share is what one segment takes of one group: the input of an executor
// kind's split function.
type share struct {
	Segment
	// offset is the first VU index of the group the segment owns:
	// (Index - base) mod Count, base being the group's first VU in the test.
	offset int64
}

// count returns the segment's share of n VUs (or of anything dealt like VUs).
func (s share) count(n int64) int64 { return residues(n, s.offset, int64(s.Count)) }

// vus is the stripe of the group's VU indexes (and of an endless closed model's
// iteration numbers) the segment owns: local VU c is VU offset + c·Count of the
// group.
func (s share) vus() stripe {
	return stripe{period: int64(s.Count), first: s.offset, step: 1, count: 1}
}

// among is the stripe of the indexes j whose VU, j mod vus, the segment owns:
// how work handed out in turn to vus VUs is split by the VUs' share.
func (s share) among(vus int64) stripe {
	return stripe{period: vus, first: s.offset, step: int64(s.Count), count: s.count(vus)}
}

// part is what an executor that is a segment's part of a group keeps of the
// split: nil in an executor of the whole test.
type part struct {
	seg   Segment
	whole Executor // the group's executor in the whole test
	iters stripe   // local iteration n → the group-wide number of the iteration
	vus   stripe   // local VU c → its VU index in the whole group
}

// iterations returns the stripe of iteration numbers, the whole one without a part.
func (p *part) iterations() stripe {
	if p == nil {
		return stripe{}
	}
	return p.iters
}

// fraction says which share of the indexes the part's iteration stripe owns,
// e.g. "1 in 3".
func (p *part) fraction() string {
	return fmt.Sprintf("%d in %d", p.iters.count, p.iters.period)
}

// describe ends an executor's Describe with the whole it is a part of.
func (p *part) describe(s string) string {
	if p == nil {
		return s
	}
	return fmt.Sprintf("%s; segment %s of: %s", s, p.seg, p.whole.Describe())
}

// Part returns the part s of the plan: each group with its executor split by
// its kind's split function (see executorKinds), so that the parts of all the
// segments add up to p exactly. The part keeps p, whose sizes number the VUs
// and their data rows across the whole test (Whole).
func (p *Plan) Part(s Segment) (*Plan, error) {
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return nil, fmt.Errorf("segment %d/%d: the index must be from 0 to N-1", s.Index, s.Count)
	}
	out := &Plan{Notes: append([]string(nil), p.Notes...), Segment: s, whole: p}
	var base int64
	n := int64(s.Count)
	for _, g := range p.Groups {
		kind := kindNamed(g.Executor.kind())
		sh := share{Segment: s, offset: ((int64(s.Index)-base)%n + n) % n}
		c := *g
		c.Executor = kind.split(g.Executor, sh)
		c.vus = sh.vus()
		out.Groups = append(out.Groups, &c)
		base += g.Executor.MaxVUs()
	}
	if out.MaxVUs() == 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("segment %s has no VU: the test has %d VUs for %d segments, so this one runs nothing", s, p.MaxVUs(), s.Count))
	}
	return out, nil
}

// Whole returns the plan of the whole test: p itself unless p is a segment's part.
func (p *Plan) Whole() *Plan {
	if p.whole != nil {
		return p.whole
	}
	return p
}
