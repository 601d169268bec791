package dict

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// numbered returns a table with one column "id" holding "0".."n-1".
func numbered(tb testing.TB, n int) *Table {
	var b strings.Builder
	b.WriteString("id\n")
	for i := range n {
		fmt.Fprintf(&b, "%d\n", i)
	}
	t, err := ReadTable(strings.NewReader(b.String()), "ids.csv", TableOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// TestPick checks row allocation as a pure function of (VU index, iteration).
func TestPick(t *testing.T) {
	t.Parallel()
	type pick struct {
		vu   int
		n    int64
		row  int
		stat Status
	}
	tests := []struct {
		name      string
		mode      Mode
		policy    Policy
		rows      int
		rowsPerVU int
		bound     int
		picks     []pick
	}{
		// The reference page: 3 rows per VU; VU1 gets rows 1-3, VU2 rows 4-6,
		// and at iteration 4 each starts again from its own first row.
		{"reference per-iteration", PerIteration, "", 6, 3, 2, []pick{
			{0, 0, 0, RowOK}, {0, 1, 1, RowOK}, {0, 2, 2, RowOK}, {0, 3, 0, RowCycled}, {0, 4, 1, RowCycled},
			{1, 0, 3, RowOK}, {1, 1, 4, RowOK}, {1, 2, 5, RowOK}, {1, 3, 3, RowCycled},
		}},
		// The reference page: one row per VU, fixed for every iteration.
		{"reference per-vu", PerVU, "", 4, 0, 2, []pick{
			{0, 0, 0, RowOK}, {0, 7, 0, RowOK}, {1, 0, 1, RowOK}, {1, 9, 1, RowOK},
		}},
		{"per-vu more VUs than rows cycles", PerVU, Cycle, 3, 0, 5, []pick{{2, 0, 2, RowOK}, {3, 0, 0, RowCycled}, {4, 0, 1, RowCycled}}},
		{"per-vu last", PerVU, Last, 3, 0, 5, []pick{{2, 0, 2, RowOK}, {3, 0, 2, RowLast}, {4, 5, 2, RowLast}}},
		{"per-vu stop", PerVU, StopVU, 3, 0, 5, []pick{{2, 0, 2, RowOK}, {3, 0, -1, RowStopVU}}},
		{"per-iteration last", PerIteration, Last, 6, 3, 2, []pick{{1, 2, 5, RowOK}, {1, 3, 5, RowLast}, {1, 100, 5, RowLast}}},
		{"per-iteration stop", PerIteration, StopVU, 6, 3, 2, []pick{{1, 2, 5, RowOK}, {1, 3, -1, RowStopVU}}},
		{"per-iteration abort", PerIteration, Abort, 6, 3, 2, []pick{{0, 2, 2, RowOK}, {0, 3, -1, RowAbort}}},
		{"per-iteration block past the table cycles", PerIteration, Cycle, 5, 2, 3, []pick{
			{2, 0, 4, RowOK}, {2, 1, 0, RowCycled}, {2, 2, 4, RowCycled},
		}},
		{"per-iteration block past the table, last", PerIteration, Last, 5, 2, 3, []pick{{2, 0, 4, RowOK}, {2, 1, 4, RowLast}}},
		{"per-iteration default splits evenly", PerIteration, "", 10, 0, 3, []pick{
			{0, 0, 0, RowOK}, {0, 2, 2, RowOK}, {0, 3, 0, RowCycled}, {1, 0, 3, RowOK}, {2, 2, 8, RowOK},
		}},
		{"shared sequence", Shared, "", 3, 0, 4, []pick{{0, 0, 0, RowOK}, {3, 2, 2, RowOK}, {1, 3, 0, RowCycled}, {2, 7, 1, RowCycled}}},
		{"shared last", Shared, Last, 3, 0, 4, []pick{{0, 2, 2, RowOK}, {0, 3, 2, RowLast}}},
		{"shared abort", Shared, Abort, 3, 0, 4, []pick{{0, 3, -1, RowAbort}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := &DataBinding{Name: "t", Table: numbered(t, tt.rows), Mode: tt.mode, OnExhausted: tt.policy, RowsPerVU: tt.rowsPerVU}
			if err := b.Prepare(tt.bound); err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.picks {
				row, st := b.Pick(p.vu, p.n)
				if row != p.row || st != p.stat {
					t.Errorf("Pick(vu %d, %d) = %d, %d; want %d, %d", p.vu, p.n, row, st, p.row, p.stat)
				}
			}
		})
	}
}

func TestShuffleAndRandom(t *testing.T) {
	t.Parallel()
	const n = 50
	mk := func(mode Mode, shuffle bool, seed uint64) *DataBinding {
		b := &DataBinding{Name: "t", Table: numbered(t, n), Mode: mode, Shuffle: shuffle, Seed: seed}
		if err := b.Prepare(n); err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, same, other := mk(PerVU, true, 7), mk(PerVU, true, 7), mk(PerVU, true, 8)
	var rowsA, rowsSame, rowsOther []int
	for vu := range n {
		r, _ := a.Pick(vu, 0)
		rowsA = append(rowsA, r)
		r, _ = same.Pick(vu, 0)
		rowsSame = append(rowsSame, r)
		r, _ = other.Pick(vu, 0)
		rowsOther = append(rowsOther, r)
	}
	if !slices.Equal(rowsA, rowsSame) || slices.Equal(rowsA, rowsOther) {
		t.Errorf("shuffle: same seed must give the same order, another seed another order")
	}
	sorted := slices.Sorted(slices.Values(rowsA))
	for i, r := range sorted {
		if r != i {
			t.Fatalf("shuffled per-vu rows are not a permutation: %v", rowsA)
		}
	}
	if slices.IsSorted(rowsA) {
		t.Errorf("shuffled order equals file order")
	}

	r1, r2 := mk(Random, false, 3), mk(Random, false, 3)
	seen := make(map[int]bool)
	for it := range int64(2000) {
		x, st := r1.Pick(int(it%7), it)
		y, _ := r2.Pick(int(it%7), it)
		if x != y || st != RowOK || x < 0 || x >= n {
			t.Fatalf("random Pick(%d) = %d, %d (again %d); want the same row in [0,%d)", it, x, st, y, n)
		}
		seen[x] = true
	}
	if len(seen) != n {
		t.Errorf("random rows hit %d of %d rows in 2000 draws", len(seen), n)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tab := numbered(t, 4)
	tests := []struct {
		name  string
		b     *DataBinding
		bound int
		want  string // "" for no error
	}{
		{"per-vu abort enough rows", &DataBinding{Table: tab, Mode: PerVU, OnExhausted: Abort}, 4, ""},
		{"per-vu abort too few rows", &DataBinding{Table: tab, Mode: PerVU, OnExhausted: Abort}, 5,
			`data table "t" (ids.csv): 5 VUs need one row each but the table has 4 rows and onExhausted is "abort"`},
		{"per-vu cycle too few rows", &DataBinding{Table: tab, Mode: PerVU}, 50, ""},
		{"per-iteration abort too few rows", &DataBinding{Table: tab, Mode: PerIteration, RowsPerVU: 3, OnExhausted: Abort}, 2,
			"2 VUs × 3 rowsPerVU need 6 rows but the table has 4"},
		{"unknown mode", &DataBinding{Table: tab, Mode: "per-user"}, 1, `unknown rows mode "per-user": use "per-vu", "per-iteration", "shared" or "random"`},
		{"unknown policy", &DataBinding{Table: tab, Mode: PerVU, OnExhausted: "wrap"}, 1, `unknown onExhausted "wrap"`},
		{"rowsPerVU on per-vu", &DataBinding{Table: tab, Mode: PerVU, RowsPerVU: 2}, 1, `rowsPerVU must be a positive integer and applies only to rows "per-iteration"`},
		{"empty table", &DataBinding{Table: numbered(t, 0), Mode: PerVU}, 1, "the table has no data rows"},
		{"no source", &DataBinding{Mode: PerVU}, 1, "needs exactly one source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.b.Name = "t"
			err := tt.b.Validate(tt.bound)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate(%d) = %v; want nil", tt.bound, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate(%d) = %v; want %q", tt.bound, err, tt.want)
			}
		})
	}
}
