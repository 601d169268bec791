package dict

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// GroupSize names a VU group of the test and its largest number of VUs.
type GroupSize struct {
	Name string
	VUs  int
}

// DataBindings is the set of data bindings of a run, prepared for its VU groups.
// It is safe for concurrent use; each VU takes its own [Feed].
type DataBindings struct {
	list   []*DataBinding
	groups []GroupSize
	part   Partition
	warn   func(string)
}

// Partition is the part of a distributed test's data one process deals: the
// part Index (0-based) of Count. Per-vu and per-iteration rows need nothing
// more, as the processes' VUs have their indexes in the whole test (the groups
// given to [NewPartitionedBindings] are the whole test's); the shared sequence
// is dealt in turn, part i taking the sequence numbers i, i+Count, i+2·Count...,
// so no two processes take the same row (until the rows cycle). Seed is the
// seed of shuffle and random rows for the tables that give none, the same in
// every process so that they deal alike; 0 draws one at random. The zero
// Partition is the whole test.
type Partition struct {
	Index, Count int
	Seed         uint64
}

// sequence returns the shared sequence number of the n-th row this process takes.
func (p Partition) sequence(n int64) int64 {
	if p.Count <= 1 {
		return n
	}
	return n*int64(p.Count) + int64(p.Index)
}

// NewDataBindings prepares list for a run whose groups are given in a fixed order
// (the order VU indexes are counted in). It checks that names are unique, that
// every group a binding names exists, that two bindings that can reach the
// same VU do not set the same key, and each binding's [DataBinding.Prepare]. warn
// (may be nil) receives the one warning per binding logged when its rows run
// out under a policy other than cycle.
func NewDataBindings(list []*DataBinding, groups []GroupSize, warn func(string)) (*DataBindings, error) {
	return NewPartitionedBindings(list, groups, Partition{}, warn)
}

// NewPartitionedBindings is [NewDataBindings] for the part of a distributed
// test that part names; groups are the whole test's.
func NewPartitionedBindings(list []*DataBinding, groups []GroupSize, part Partition, warn func(string)) (*DataBindings, error) {
	if part.Count < 0 || part.Index < 0 || (part.Count > 0 && part.Index >= part.Count) {
		return nil, fmt.Errorf("data: partition %d of %d: the index must be from 0 to the count - 1", part.Index, part.Count)
	}
	if warn == nil {
		warn = func(string) {}
	}
	known := make(map[string]bool, len(groups))
	for _, g := range groups {
		if known[g.Name] || g.VUs < 0 {
			return nil, fmt.Errorf("data: group %q is listed twice or has a negative VU count", g.Name)
		}
		known[g.Name] = true
	}
	names := make(map[string]bool, len(list))
	warned := make(map[*Table]bool)
	for _, b := range list {
		if b.Name == "" || names[b.Name] {
			return nil, fmt.Errorf("data: binding name %q is empty or used twice", b.Name)
		}
		names[b.Name] = true
		bound := 0
		for _, g := range b.Groups {
			if !known[g] {
				return nil, fmt.Errorf("data %q: groups: %q is not a group of this test (groups: %s)", b.Name, g, groupNames(groups))
			}
		}
		for _, g := range groups {
			if b.bindsGroup(g.Name) {
				bound += g.VUs
			}
		}
		if err := b.prepare(bound, part.Seed); err != nil {
			return nil, err
		}
		if b.Table != nil && !warned[b.Table] {
			warned[b.Table] = true // once per file, however many bindings use it
			if w := b.Table.EncodingWarning(); w != "" {
				warn(w)
			}
		}
	}
	if err := checkKeyClashes(list, groups); err != nil {
		return nil, err
	}
	return &DataBindings{list: list, groups: groups, part: part, warn: warn}, nil
}

func groupNames(groups []GroupSize) string {
	s := make([]string, len(groups))
	for i, g := range groups {
		s[i] = fmt.Sprintf("%q", g.Name)
	}
	return strings.Join(s, ", ")
}

// keys returns the dictionary keys a binding sets.
func (b *DataBinding) keys() []string {
	if b.Table != nil {
		return b.Table.Columns()
	}
	return b.Dictionary.Keys()
}

// checkKeyClashes rejects two bindings that share a key and a group.
func checkKeyClashes(list []*DataBinding, groups []GroupSize) error {
	for i, a := range list {
		for _, b := range list[i+1:] {
			if !slices.ContainsFunc(groups, func(g GroupSize) bool { return a.bindsGroup(g.Name) && b.bindsGroup(g.Name) }) {
				continue
			}
			for _, k := range a.keys() {
				if slices.Contains(b.keys(), k) {
					return fmt.Errorf("data: %s and %s both set key %q for the same VUs: rename a column or key, or bind them to different groups",
						a.where(), b.where(), k)
				}
			}
		}
	}
	return nil
}

// boundIndex returns the index of VU number vuInGroup of group among all the
// VUs b is bound to (counted group by group in the run's order), or -1.
func (bs *DataBindings) boundIndex(b *DataBinding, group string, vuInGroup int) int {
	if !b.bindsGroup(group) {
		return -1
	}
	idx := 0
	for _, g := range bs.groups {
		if g.Name == group {
			return idx + vuInGroup
		}
		if b.bindsGroup(g.Name) {
			idx += g.VUs
		}
	}
	return -1
}

// Feed is one VU's view of the run's bindings: it copies the VU's rows into
// its [Store] as keys named after the columns. A Feed belongs to the VU's
// main goroutine and is not safe for concurrent use (the Store is).
type Feed struct {
	// VU is the VU's id in the test (from 1), as messages name it; the caller
	// sets it after Feed.
	VU int64

	bs      *DataBindings
	idx     []int // per binding: the VU's index among bound VUs, or -1
	scratch map[string]any
}

// Feed returns the Feed of VU number vuInGroup (0-based) of group.
func (bs *DataBindings) Feed(group string, vuInGroup int) (*Feed, error) {
	i := slices.IndexFunc(bs.groups, func(g GroupSize) bool { return g.Name == group })
	if i < 0 || vuInGroup < 0 || vuInGroup >= bs.groups[i].VUs {
		return nil, fmt.Errorf("data: no VU %d in group %q", vuInGroup, group)
	}
	f := &Feed{bs: bs, idx: make([]int, len(bs.list)), scratch: make(map[string]any)}
	for j, b := range bs.list {
		f.idx[j] = bs.boundIndex(b, group, vuInGroup)
	}
	return f, nil
}

// Init loads what does not change between iterations, before the VU's
// vuInit: every bound dictionary and the VU's per-vu rows, under one lock of
// s. It returns an *[ExhaustedError] if a per-vu table has no row left for
// this VU under policy stop-vu or abort.
func (f *Feed) Init(s *Store) error {
	return f.load(s, 0, func(b *DataBinding) bool { return b.Dictionary != nil || b.Mode == PerVU })
}

// Iteration loads the rows of iteration (0-based) of the per-iteration,
// shared and random tables into s, under one lock. It returns an
// *[ExhaustedError] (loading nothing) when a table ran out of rows under
// policy stop-vu (the VU should stop) or abort (the test should abort).
func (f *Feed) Iteration(s *Store, iteration int64) error {
	return f.load(s, iteration, func(b *DataBinding) bool { return b.Table != nil && b.Mode != PerVU })
}

func (f *Feed) load(s *Store, it int64, which func(*DataBinding) bool) error {
	defer clear(f.scratch)
	for j, b := range f.bs.list {
		if f.idx[j] < 0 || !which(b) {
			continue
		}
		if b.Dictionary != nil {
			maps.Copy(f.scratch, b.Dictionary.vals)
			continue
		}
		n := it
		if b.Mode == Shared {
			n = f.bs.part.sequence(b.seq.Add(1) - 1)
		}
		row, st := b.Pick(f.idx[j], n)
		f.bs.report(b, st, f.VU, it)
		if st >= RowStopVU {
			return &ExhaustedError{Table: b.Name, Policy: b.OnExhausted, VUIndex: f.idx[j], VU: f.VU, Iteration: it}
		}
		b.Table.Fill(row, f.scratch)
	}
	if len(f.scratch) > 0 {
		s.SetMany(f.scratch)
	}
	return nil
}

// report logs, once per binding, that its rows ran out.
func (bs *DataBindings) report(b *DataBinding, st Status, vu, it int64) {
	if st < RowLast || !b.warned.CompareAndSwap(false, true) {
		return
	}
	var what string
	switch st {
	case RowLast:
		what = "keeps using the last row"
	case RowStopVU:
		what = "stops each VU that needs another row"
	default:
		what = "aborts the test"
	}
	bs.warn(fmt.Sprintf("%s: rows ran out (VU %d, iteration %d): onExhausted %q %s", b.where(), vu, it, b.OnExhausted, what))
}

func (bs *DataBindings) find(name string) int {
	return slices.IndexFunc(bs.list, func(b *DataBinding) bool { return b.Name == name })
}

// Cursor returns a script-controlled cursor over the rows of the named table
// available to this VU: its own block for per-iteration, the whole table (in
// shuffled order when shuffled) otherwise.
func (f *Feed) Cursor(name string) (*Cursor, error) {
	j := f.bs.find(name)
	if j < 0 || f.bs.list[j].Table == nil {
		return nil, fmt.Errorf("data: no table named %q in options.data", name)
	}
	b := f.bs.list[j]
	if f.idx[j] < 0 {
		return nil, fmt.Errorf("%s is not bound to this VU's group (groups: %s)", b.where(), strings.Join(b.Groups, ", "))
	}
	c := &Cursor{t: b.Table, perm: b.perm, size: b.Table.Len(), pos: -1}
	if b.Mode == PerIteration {
		c.start, c.size = f.idx[j]*b.block, b.block
	}
	return c, nil
}
