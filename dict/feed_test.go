package dict

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func table(tb testing.TB, name, csv string) *Table {
	t, err := ReadTable(strings.NewReader(csv), name, TableOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// referenceData is the reference page's example: usernames one row per VU
// across groups, customers three rows per VU, and a dictionary.
func referenceData(tb testing.TB) []*DataBinding {
	users := table(tb, "users.csv", "username,password\nuser1,password1\nuser2,password2\nuser3,password3\nuser4,password4\nuser5,password5\n")
	var cust strings.Builder
	cust.WriteString("custForename,custSurname\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&cust, "forename%d,surname%d\n", i, i)
	}
	d, err := ParseDictionary("config.txt", []byte("numAccounts=3\nbaseUrl = http://x\n"))
	if err != nil {
		tb.Fatal(err)
	}
	return []*DataBinding{
		{Name: "users", Table: users, Mode: PerVU},
		{Name: "customers", Table: table(tb, "customers.csv", cust.String()), Mode: PerIteration, RowsPerVU: 3, Groups: []string{"shoppers"}},
		{Name: "config", Dictionary: d},
	}
}

// TestFeedReference replays the reference page with two groups.
func TestFeedReference(t *testing.T) {
	t.Parallel()
	groups := []GroupSize{{"shoppers", 2}, {"browsers", 3}}
	bs, err := NewDataBindings(referenceData(t), groups, nil)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		group    string
		vu       int
		it       int64
		username string
		forename string // "" when the table is not bound to the group
	}
	tests := []want{
		{"shoppers", 0, 0, "user1", "forename1"},
		{"shoppers", 0, 1, "user1", "forename2"},
		{"shoppers", 0, 2, "user1", "forename3"},
		{"shoppers", 0, 3, "user1", "forename1"}, // back to its first row
		{"shoppers", 1, 0, "user2", "forename4"},
		{"shoppers", 1, 3, "user2", "forename4"},
		{"browsers", 0, 0, "user3", ""}, // per-vu rows are distinct across groups
		{"browsers", 2, 5, "user5", ""},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s/%d/%d", tt.group, tt.vu, tt.it)
		f, err := bs.Feed(tt.group, tt.vu)
		if err != nil {
			t.Fatal(err)
		}
		s := New()
		if err := f.Init(s); err != nil {
			t.Fatalf("%s: Init: %v", name, err)
		}
		if err := f.Iteration(s, tt.it); err != nil {
			t.Fatalf("%s: Iteration: %v", name, err)
		}
		if got, _ := s.Get("username"); got != tt.username {
			t.Errorf("%s: username = %v; want %q", name, got, tt.username)
		}
		if got, _ := s.Get("numAccounts"); got != "3" {
			t.Errorf("%s: numAccounts = %v; want \"3\"", name, got)
		}
		got, _ := s.Get("custForename")
		if (tt.forename == "" && got != nil) || (tt.forename != "" && got != tt.forename) {
			t.Errorf("%s: custForename = %v; want %q", name, got, tt.forename)
		}
	}
	if _, err := bs.Feed("browsers", 3); err == nil {
		t.Errorf("Feed of a VU beyond the group's size: want an error")
	}
}

func TestBoundIndex(t *testing.T) {
	t.Parallel()
	groups := []GroupSize{{"a", 2}, {"b", 3}, {"c", 4}}
	bs := &DataBindings{groups: groups}
	tests := []struct {
		bound []string
		group string
		vu    int
		want  int
	}{
		{nil, "a", 1, 1},
		{nil, "b", 0, 2},
		{nil, "c", 3, 8},
		{[]string{"a", "c"}, "c", 0, 2},
		{[]string{"c", "b"}, "c", 1, 4}, // counted in the run's group order, not the filter's
		{[]string{"b"}, "b", 2, 2},
		{[]string{"b"}, "a", 0, -1},
	}
	for _, tt := range tests {
		b := &DataBinding{Groups: tt.bound}
		if got := bs.boundIndex(b, tt.group, tt.vu); got != tt.want {
			t.Errorf("boundIndex(groups %v, %s VU %d) = %d; want %d", tt.bound, tt.group, tt.vu, got, tt.want)
		}
	}
}

func TestFeedExhausted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy   Policy
		wantWarn string
		wantErr  Policy // "" when the iteration succeeds
		wantID   string
	}{
		{Cycle, "", "", "3"}, // VU 1 owns rows 2-3: iteration 3 cycles to row 3
		{Last, `data table "ids" (ids.csv): rows ran out (VU 2, iteration 2): onExhausted "last" keeps using the last row`, "", "3"},
		{StopVU, `onExhausted "stop-vu" stops each VU that needs another row`, StopVU, ""},
		{Abort, `onExhausted "abort" aborts the test`, Abort, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var warnings []string
			warn := func(s string) { mu.Lock(); warnings = append(warnings, s); mu.Unlock() }
			b := &DataBinding{Name: "ids", Table: numbered(t, 4), Mode: PerIteration, RowsPerVU: 2, OnExhausted: tt.policy}
			bs, err := NewDataBindings([]*DataBinding{b}, []GroupSize{{"g", 2}}, warn)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := bs.Feed("g", 1)
			f.VU = 2
			s := New()
			for it := range int64(4) {
				err = f.Iteration(s, it)
				if it < 2 && err != nil {
					t.Fatalf("iteration %d: %v", it, err)
				}
			}
			var ee *ExhaustedError
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("last iteration: %v; want no error", err)
			case tt.wantErr != "" && (!errors.As(err, &ee) || ee.Policy != tt.wantErr || ee.Table != "ids" || !strings.Contains(err.Error(), "for VU 2 at")):
				t.Errorf("last iteration: %v; want *ExhaustedError with policy %s naming VU 2", err, tt.wantErr)
			}
			if tt.wantID != "" {
				if got, _ := s.Get("id"); got != tt.wantID {
					t.Errorf("id = %v; want %q", got, tt.wantID)
				}
			}
			if tt.wantWarn == "" && len(warnings) != 0 || tt.wantWarn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tt.wantWarn)) {
				t.Errorf("warnings = %q; want one containing %q", warnings, tt.wantWarn)
			}
		})
	}
}

// TestFeedShared checks that VUs running concurrently share one sequence.
func TestFeedShared(t *testing.T) {
	t.Parallel()
	b := &DataBinding{Name: "ids", Table: numbered(t, 100), Mode: Shared, OnExhausted: StopVU}
	bs, err := NewDataBindings([]*DataBinding{b}, []GroupSize{{"g", 4}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for vu := range 4 {
		wg.Go(func() {
			f, _ := bs.Feed("g", vu)
			s := New()
			for it := int64(0); ; it++ {
				if err := f.Iteration(s, it); err != nil {
					return
				}
				v, _ := s.Get("id")
				id, _ := ConvertInt("id", v)
				mu.Lock()
				got = append(got, int(id))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	for i, id := range got {
		if id != i {
			t.Fatalf("shared rows taken = %v; want each of 0..99 once", got)
		}
	}
	if len(got) != 100 {
		t.Fatalf("took %d rows; want 100", len(got))
	}
}

func TestNewBindingsErrors(t *testing.T) {
	t.Parallel()
	ids, other := numbered(t, 3), table(t, "other.csv", "id,name\n1,a\n")
	tests := []struct {
		name string
		list []*DataBinding
		want string
	}{
		{"unknown group", []*DataBinding{{Name: "ids", Table: ids, Mode: PerVU, Groups: []string{"nope"}}},
			`data "ids": groups: "nope" is not a group of this test (groups: "a", "b")`},
		{"key clash", []*DataBinding{{Name: "ids", Table: ids, Mode: PerVU}, {Name: "other", Table: other, Mode: PerVU}},
			`both set key "id" for the same VUs`},
		{"duplicate name", []*DataBinding{{Name: "ids", Table: ids, Mode: PerVU}, {Name: "ids", Table: ids, Mode: PerVU}}, "used twice"},
		{"abort with too few rows", []*DataBinding{{Name: "ids", Table: ids, Mode: PerVU, OnExhausted: Abort}}, "5 VUs need one row each"},
		{"abort counts only bound groups", []*DataBinding{{Name: "ids", Table: ids, Mode: PerVU, OnExhausted: Abort, Groups: []string{"a"}}}, ""},
		{"clash in different groups is fine", []*DataBinding{
			{Name: "ids", Table: ids, Mode: PerVU, Groups: []string{"a"}},
			{Name: "other", Table: other, Mode: PerVU, Groups: []string{"b"}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list := make([]*DataBinding, len(tt.list))
			for i, b := range tt.list { // fresh copies: Prepare resolves fields
				list[i] = &DataBinding{Name: b.Name, Table: b.Table, Mode: b.Mode, OnExhausted: b.OnExhausted, Groups: b.Groups}
			}
			_, err := NewDataBindings(list, []GroupSize{{"a", 2}, {"b", 3}}, nil)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("NewDataBindings: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("NewDataBindings error = %v; want %q", err, tt.want)
			}
		})
	}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	b := &DataBinding{Name: "ids", Table: numbered(t, 9), Mode: PerIteration, RowsPerVU: 3}
	bs, err := NewDataBindings([]*DataBinding{b}, []GroupSize{{"g", 3}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := bs.Feed("g", 1)
	s := New()
	if err := f.Iteration(s, 0); err != nil {
		t.Fatal(err)
	}
	bound, _ := s.Get("id")
	c, err := f.Cursor("ids")
	if err != nil {
		t.Fatal(err)
	}
	if c.Size() != 3 || c.Row() != nil || c.Index() != -1 || !c.HasNext() {
		t.Fatalf("new cursor: size %d, row %v, index %d; want 3, nil, -1 with a next row", c.Size(), c.Row(), c.Index())
	}
	var seen []string
	for row := c.Next(); row != nil; row = c.Next() {
		seen = append(seen, row[0])
		if v, _ := s.Get("id"); v != bound || c.Row()[0] != row[0] {
			t.Errorf("store id = %v, Row %q; want the bound row's %v and the cursor's row %q", v, c.Row(), bound, row[0])
		}
	}
	if !slices.Equal(seen, []string{"3", "4", "5"}) || c.HasNext() {
		t.Errorf("cursor rows = %v; want the VU's block [3 4 5] then no more", seen)
	}
	c.Reset()
	if row := c.Next(); row == nil || row[0] != "3" {
		t.Errorf("after Reset: want the first row again")
	}
	if _, err := f.Cursor("nope"); err == nil {
		t.Errorf("Cursor of an unknown table: want an error")
	}
	sb := &DataBinding{Name: "ids", Table: numbered(t, 2), Mode: Shared}
	bs, err = NewDataBindings([]*DataBinding{sb}, []GroupSize{{"g", 1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, _ = bs.Feed("g", 0)
	whole, err := f.Cursor("ids")
	if err != nil {
		t.Fatal(err)
	}
	if whole.Next() == nil || whole.Next() == nil || whole.Next() != nil || whole.Row()[0] != "1" || whole.Columns()[0] != "id" {
		t.Errorf("shared table cursor: want rows 0 and 1 then the end")
	}
}

// BenchmarkFeedIteration loads one per-iteration row into a Store.
func BenchmarkFeedIteration(b *testing.B) {
	bind := &DataBinding{Name: "users", Table: table(b, "u.csv", "username,password,id\nu1,p1,1\nu2,p2,2\nu3,p3,3\n"), Mode: PerIteration, RowsPerVU: 3}
	bs, err := NewDataBindings([]*DataBinding{bind}, []GroupSize{{"g", 1}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	f, _ := bs.Feed("g", 0)
	s := New()
	var it int64
	for b.Loop() {
		if err := f.Iteration(s, it); err != nil {
			b.Fatal(err)
		}
		it++
	}
}

// BenchmarkCursorNext advances a script-controlled cursor, as table(name).next()
// does: one row decoded.
func BenchmarkCursorNext(b *testing.B) {
	bind := &DataBinding{Name: "users", Table: table(b, "u.csv", "username,password,id\nu1,p1,1\nu2,p2,2\nu3,p3,3\n"), Mode: Shared}
	bs, err := NewDataBindings([]*DataBinding{bind}, []GroupSize{{"g", 1}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	f, _ := bs.Feed("g", 0)
	c, _ := f.Cursor("users")
	for b.Loop() {
		if c.Next() == nil {
			c.Reset()
		}
	}
}
