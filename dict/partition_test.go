package dict

import (
	"fmt"
	"testing"
)

// partitionBindings builds, as one process of a distributed test would, the
// bindings of a 120-row table in each mode (shuffled, without a seed of its
// own) for part (i, n) of a test of one group of vus VUs.
func partitionBindings(t *testing.T, i, n, vus int) *DataBindings {
	t.Helper()
	var list []*DataBinding
	for _, m := range []Mode{PerVU, PerIteration, Shared, Random} {
		list = append(list, &DataBinding{Name: string(m), Table: numbered(t, 120), Mode: m, Shuffle: true})
	}
	list[1].RowsPerVU = 3
	// Each table sets the same column: bind each to a group of its own.
	groups := []GroupSize{}
	for _, b := range list {
		b.Groups = []string{b.Name}
		groups = append(groups, GroupSize{Name: b.Name, VUs: vus})
	}
	bs, err := NewPartitionedBindings(list, groups, Partition{Index: i, Count: n, Seed: 42}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

// draws returns, for every VU (by index in the whole group) that part (i, n)
// owns (k mod n = i), the rows of its first iterations in mode m.
func draws(t *testing.T, bs *DataBindings, m Mode, i, n, vus, iterations int) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	for k := i; k < vus; k += n {
		f, err := bs.Feed(string(m), k)
		if err != nil {
			t.Fatal(err)
		}
		s := New()
		for it := range iterations {
			if it == 0 {
				if err := f.Init(s); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.Iteration(s, int64(it)); err != nil {
				t.Fatal(err)
			}
			v, _ := s.Get("id")
			out[k] = append(out[k], fmt.Sprint(v))
		}
	}
	return out
}

// TestPartitionedRows: the parts of a distributed test, each built alone, deal
// the rows the whole test would: per-vu and per-iteration rows of the VUs they
// own (the same, shuffled alike, so disjoint across parts), random rows the
// same per VU and iteration, and shared rows that no two parts take twice.
func TestPartitionedRows(t *testing.T) {
	t.Parallel()
	const vus, iterations = 30, 3
	whole := partitionBindings(t, 0, 1, vus)
	for n := 1; n <= 8; n++ {
		sharedSeen := map[string]int{}
		for i := range n {
			bs := partitionBindings(t, i, n, vus)
			for _, m := range []Mode{PerVU, PerIteration, Random} {
				want := draws(t, whole, m, 0, 1, vus, iterations)
				for k, rows := range draws(t, bs, m, i, n, vus, iterations) {
					if fmt.Sprint(rows) != fmt.Sprint(want[k]) {
						t.Errorf("n=%d part %d %s: VU %d took rows %v, the whole test %v", n, i, m, k, rows, want[k])
					}
				}
			}
			for _, rows := range draws(t, bs, Shared, i, n, vus, iterations) {
				for _, r := range rows {
					sharedSeen[r]++
				}
			}
		}
		// 30 VUs × 3 iterations = 90 draws of 120 rows: none twice.
		for r, c := range sharedSeen {
			if c > 1 {
				t.Errorf("n=%d: shared row %s taken %d times", n, r, c)
			}
		}
		if len(sharedSeen) != vus*iterations {
			t.Errorf("n=%d: %d distinct shared rows, want %d", n, len(sharedSeen), vus*iterations)
		}
	}
	perVU := draws(t, whole, PerIteration, 0, 1, vus, iterations)
	seen := map[string]bool{}
	for _, rows := range perVU {
		for _, r := range rows {
			if seen[r] {
				t.Errorf("per-iteration row %s is in two VUs' blocks", r)
			}
			seen[r] = true
		}
	}
}

func TestPartitionErrors(t *testing.T) {
	t.Parallel()
	for _, p := range []Partition{{Index: 3, Count: 3}, {Index: -1, Count: 2}, {Count: -1}} {
		if _, err := NewPartitionedBindings(nil, nil, p, nil); err == nil {
			t.Errorf("NewPartitionedBindings with %+v: no error", p)
		}
	}
}
