package dict

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
)

// Mode says how a table's rows are dealt to VUs.
type Mode string

// The row modes of options.data.
const (
	PerVU        Mode = "per-vu"        // one fixed row per VU, distinct across all bound VUs
	PerIteration Mode = "per-iteration" // a block of RowsPerVU rows per VU, the next one each iteration
	Shared       Mode = "shared"        // one sequence shared by all VUs, the next row each iteration
	Random       Mode = "random"        // a random row each iteration
)

// Policy says what happens when a VU runs out of rows (options.data onExhausted).
type Policy string

// The onExhausted policies. The zero Policy means Cycle.
const (
	Cycle  Policy = "cycle"   // start again from the first row (no warning)
	StopVU Policy = "stop-vu" // the VU stops
	Abort  Policy = "abort"   // the whole test aborts
	Last   Policy = "last"    // keep using the last row
)

// Status says how a row was picked.
type Status uint8

// Statuses in increasing severity; every one after RowCycled is logged once
// per binding as a warning.
const (
	RowOK     Status = iota // a fresh row
	RowCycled               // rows ran out and started again (policy cycle)
	RowLast                 // rows ran out; the last row is used again (policy last)
	RowStopVU               // rows ran out; no row; the VU should stop
	RowAbort                // rows ran out; no row; the test should abort
)

// DataBinding binds one data source, named in options.data, to VUs. Its exported
// fields are the declaration; [DataBinding.Prepare] resolves them for a run, after
// which the DataBinding is safe for concurrent use by every VU and must not be
// copied or changed.
type DataBinding struct {
	Name        string      // the key in options.data
	Table       *Table      // set for a table source
	Dictionary  *Dictionary // set for a dictionary source (every other field but Groups is ignored)
	Mode        Mode        // how rows are dealt
	RowsPerVU   int         // PerIteration block size; 0 splits the table evenly between the bound VUs
	OnExhausted Policy      // "" means Cycle
	Shuffle     bool        // deal rows in an order shuffled once for the run
	Seed        uint64      // seed for Shuffle and Random; 0 picks one at random
	Groups      []string    // bind only to VUs of these groups; empty means all

	block  int      // resolved RowsPerVU
	perm   []uint32 // logical → physical row, when Shuffle
	seed   uint64   // resolved Seed
	seq    atomic.Int64
	warned atomic.Bool
}

// Validate checks the declaration for a run where boundVUs VUs (the VUs of the
// bound groups, all of them counted) use it. It changes nothing.
func (b *DataBinding) Validate(boundVUs int) error {
	if (b.Table == nil) == (b.Dictionary == nil) {
		return fmt.Errorf("data %q: needs exactly one source, a table or a dictionary", b.Name)
	}
	if b.Dictionary != nil {
		return nil
	}
	where := b.where()
	switch b.Mode {
	case PerVU, PerIteration, Shared, Random:
	default:
		return fmt.Errorf("%s: unknown rows mode %q: use %q, %q, %q or %q", where, b.Mode, PerVU, PerIteration, Shared, Random)
	}
	switch b.OnExhausted {
	case "", Cycle, StopVU, Abort, Last:
	default:
		return fmt.Errorf("%s: unknown onExhausted %q: use %q, %q, %q or %q", where, b.OnExhausted, Cycle, StopVU, Abort, Last)
	}
	if b.RowsPerVU < 0 || (b.RowsPerVU > 0 && b.Mode != PerIteration) {
		return fmt.Errorf("%s: rowsPerVU must be a positive integer and applies only to rows %q", where, PerIteration)
	}
	rows := b.Table.Len()
	if rows == 0 {
		return fmt.Errorf("%s: the table has no data rows: add rows under the header", where)
	}
	if b.OnExhausted != Abort {
		return nil
	}
	switch need := b.rowsPerVU(boundVUs) * boundVUs; {
	case b.Mode == PerVU && boundVUs > rows:
		return fmt.Errorf("%s: %d VUs need one row each but the table has %d rows and onExhausted is %q: add rows, use fewer VUs, or choose onExhausted %q, %q or %q",
			where, boundVUs, rows, Abort, Cycle, Last, StopVU)
	case b.Mode == PerIteration && need > rows:
		return fmt.Errorf("%s: %d VUs × %d rowsPerVU need %d rows but the table has %d and onExhausted is %q: add rows, lower rowsPerVU, or choose another onExhausted",
			where, boundVUs, b.rowsPerVU(boundVUs), need, rows, Abort)
	}
	return nil
}

// rowsPerVU resolves the PerIteration block size.
func (b *DataBinding) rowsPerVU(boundVUs int) int {
	if b.RowsPerVU > 0 {
		return b.RowsPerVU
	}
	return max(1, b.Table.Len()/max(boundVUs, 1))
}

// Prepare validates the binding and resolves it for a run with boundVUs bound
// VUs: the PerIteration block size, the seed and the shuffled order. Call it
// once, before any VU uses the binding ([NewDataBindings] does).
func (b *DataBinding) Prepare(boundVUs int) error { return b.prepare(boundVUs, 0) }

// prepare is Prepare with the seed to use when the binding has none (0: drawn
// at random).
func (b *DataBinding) prepare(boundVUs int, seed uint64) error {
	if err := b.Validate(boundVUs); err != nil {
		return err
	}
	if b.Table == nil {
		return nil
	}
	if b.OnExhausted == "" {
		b.OnExhausted = Cycle
	}
	b.block = b.rowsPerVU(boundVUs)
	b.seed = b.Seed
	if b.seed == 0 {
		b.seed = seed
	}
	if b.seed == 0 {
		b.seed = rand.Uint64() | 1
	}
	if b.Shuffle {
		b.perm = permutation(b.Table.Len(), b.seed)
	}
	return nil
}

// permutation returns a Fisher-Yates shuffle of 0..n-1 drawn from seed.
func permutation(n int, seed uint64) []uint32 {
	p := make([]uint32, n)
	for i := range p {
		p[i] = uint32(i)
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	r.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// Pick returns the table row (0-based, after shuffling) for the VU with index
// vuIndex among the bound VUs, and how it was picked. n is the VU's iteration
// (0-based) in modes PerVU (ignored), PerIteration and Random, and the shared
// sequence number in mode Shared. Pick is a pure function of its arguments
// once the binding is prepared; row is -1 with RowStopVU and RowAbort.
func (b *DataBinding) Pick(vuIndex int, n int64) (row int, st Status) {
	rows := b.Table.Len()
	switch b.Mode {
	case PerVU:
		row, st = nthRow(b.OnExhausted, rows, int64(vuIndex))
	case PerIteration:
		row, st = perIterationRow(b.OnExhausted, rows, b.block, vuIndex, n)
	case Shared:
		row, st = nthRow(b.OnExhausted, rows, n)
	case Random:
		return b.physical(randomRow(b.seed, rows, vuIndex, n)), RowOK
	}
	if row < 0 {
		return row, st
	}
	return b.physical(row), st
}

// physical maps a logical row to a table row through the shuffle.
func (b *DataBinding) physical(row int) int {
	if b.perm == nil {
		return row
	}
	return int(b.perm[row])
}

// wrap applies policy p to position pos in a run of n rows.
func wrap(p Policy, pos, n int64) (int64, Status) {
	switch {
	case pos < n:
		return pos, RowOK
	case p == Last:
		return n - 1, RowLast
	case p == StopVU:
		return -1, RowStopVU
	case p == Abort:
		return -1, RowAbort
	default:
		return pos % n, RowCycled
	}
}

// nthRow: row n of the table, under policy p. Mode PerVU gives VU k row k;
// mode Shared gives the n-th row of one sequence shared by all VUs.
func nthRow(p Policy, rows int, n int64) (int, Status) {
	r, st := wrap(p, n, int64(rows))
	return int(r), st
}

// perIterationRow: VU k owns rows [k*block, k*block+block) and takes row
// k*block + it at iteration it; the policy applies when the VU has used its
// block, and again if the block lies (partly) beyond the table.
func perIterationRow(p Policy, rows, block, vu int, it int64) (int, Status) {
	j, st := wrap(p, it, int64(block))
	if j < 0 {
		return -1, st
	}
	r, st2 := wrap(p, int64(vu)*int64(block)+j, int64(rows))
	return int(r), max(st, st2)
}

// randomRow hashes (seed, vu, it) to a row, so a run with a fixed seed is
// reproducible and no random source is shared between VUs.
func randomRow(seed uint64, rows, vu int, it int64) int {
	h := mix(seed + uint64(vu)*0x9E3779B97F4A7C15)
	h = mix(h ^ uint64(it))
	return int((h >> 32) * uint64(rows) >> 32)
}

// mix is the splitmix64 finaliser.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// bindsGroup reports whether VUs of group get this binding.
func (b *DataBinding) bindsGroup(group string) bool {
	return len(b.Groups) == 0 || slices.Contains(b.Groups, group)
}

// where names the binding and its file for messages.
func (b *DataBinding) where() string {
	if b.Table != nil {
		return fmt.Sprintf("data table %q (%s)", b.Name, b.Table.Name())
	}
	return fmt.Sprintf("data dictionary %q (%s)", b.Name, b.Dictionary.Name())
}
