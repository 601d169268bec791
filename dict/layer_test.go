package dict

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// read is what a Store shows for a key: its value, or "-" when it has none.
func read(s *Store, key string) any {
	if v, ok := s.Get(key); ok {
		return v
	}
	return "-"
}

// TestLayers runs one script of writes against the three dictionary modes a
// background script can get (shared, copy, overlay) and checks what each side
// reads after each step.
func TestLayers(t *testing.T) {
	t.Parallel()
	type sides struct{ parent, child any }
	steps := []struct {
		name string
		do   func(p, c *Store)
		key  string
		want map[string]sides // by mode
	}{
		{"existing key before any write", func(p, c *Store) {}, "a",
			map[string]sides{"shared": {"1", "1"}, "copy": {"1", "1"}, "overlay": {"1", "1"}}},
		{"parent changes an existing key", func(p, c *Store) { p.Set("a", "2") }, "a",
			map[string]sides{"shared": {"2", "2"}, "copy": {"2", "1"}, "overlay": {"2", "2"}}},
		{"parent adds a key after creation", func(p, c *Store) { p.Set("new", "p") }, "new",
			map[string]sides{"shared": {"p", "p"}, "copy": {"p", "p"}, "overlay": {"p", "p"}}},
		{"child writes an existing key", func(p, c *Store) { c.Set("b", "c") }, "b",
			map[string]sides{"shared": {"c", "c"}, "copy": {"1", "c"}, "overlay": {"1", "c"}}},
		{"parent writes a key the child wrote", func(p, c *Store) { p.Set("b", "p2") }, "b",
			map[string]sides{"shared": {"p2", "p2"}, "copy": {"p2", "c"}, "overlay": {"p2", "c"}}},
		{"child adds a key", func(p, c *Store) { c.Set("mine", "c") }, "mine",
			map[string]sides{"shared": {"c", "c"}, "copy": {"-", "c"}, "overlay": {"-", "c"}}},
		{"child removes a parent key", func(p, c *Store) { c.Remove("a") }, "a",
			map[string]sides{"shared": {"-", "-"}, "copy": {"2", "-"}, "overlay": {"2", "-"}}},
		{"parent rewrites a key the child removed", func(p, c *Store) { p.Set("a", "3") }, "a",
			map[string]sides{"shared": {"3", "3"}, "copy": {"3", "-"}, "overlay": {"3", "-"}}},
		{"child sets the removed key again", func(p, c *Store) { c.Set("a", "c") }, "a",
			map[string]sides{"shared": {"c", "c"}, "copy": {"3", "c"}, "overlay": {"3", "c"}}},
		{"parent removes a key the child reads through", func(p, c *Store) { p.Remove("new") }, "new",
			map[string]sides{"shared": {"-", "-"}, "copy": {"-", "-"}, "overlay": {"-", "-"}}},
	}
	modes := map[string]func(*Store) *Store{
		"shared":  func(p *Store) *Store { return p },
		"copy":    (*Store).Copy,
		"overlay": (*Store).Overlay,
	}
	for mode, fork := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			p := New()
			p.SetMany(map[string]any{"a": "1", "b": "1"})
			c := fork(p)
			for _, st := range steps {
				st.do(p, c)
				want := st.want[mode]
				if got := read(p, st.key); got != want.parent {
					t.Errorf("%s: parent reads %s = %v; want %v", st.name, st.key, got, want.parent)
				}
				if got := read(c, st.key); got != want.child {
					t.Errorf("%s: child reads %s = %v; want %v", st.name, st.key, got, want.child)
				}
			}
		})
	}
}

func TestOverlayKeys(t *testing.T) {
	t.Parallel()
	p := New()
	p.SetMany(map[string]any{"a": 1, "b": 2, "c": 3})
	o := p.Overlay()
	o.Set("d", 4)
	o.Remove("b")
	if !o.Remove("d") || o.Remove("zz") {
		t.Errorf("Remove on overlay: want true for its own key, false for a missing one")
	}
	p.Set("e", 5)
	got, want := o.Keys(), []string{"a", "c", "e"}
	if len(got) != len(want) {
		t.Fatalf("overlay Keys() = %v; want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("overlay Keys() = %v; want %v", got, want)
		}
	}
	snap := o.Snapshot()
	p.Set("f", 6)
	if snap.Has("f") || snap.Has("b") || !snap.Has("e") {
		t.Errorf("snapshot of overlay = %v; want a frozen copy of the overlay's view", snap.Keys())
	}
}

// TestOverlayWaits checks which writes wake a wait on an overlay.
func TestOverlayWaits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		setup  func(p, o *Store)
		change bool              // WaitChange instead of Wait
		write  func(p, o *Store) // while the wait is blocked
		want   any               // nil: the wait times out
	}{
		{"wait woken by parent", func(p, o *Store) {}, false, func(p, o *Store) { p.Set("k", "p") }, "p"},
		{"wait woken by overlay", func(p, o *Store) {}, false, func(p, o *Store) { o.Set("k", "o") }, "o"},
		{"change woken by parent", func(p, o *Store) { p.Set("k", "0") }, true, func(p, o *Store) { p.Set("k", "p") }, "p"},
		{"change of shadowed key ignores parent", func(p, o *Store) { o.Set("k", "0") }, true, func(p, o *Store) { p.Set("k", "p") }, nil},
		{"change of shadowed key woken by overlay", func(p, o *Store) { o.Set("k", "0") }, true, func(p, o *Store) { o.Set("k", "o") }, "o"},
		{"wait on removed key ignores parent", func(p, o *Store) { p.Set("k", "0"); o.Remove("k") }, false, func(p, o *Store) { p.Set("k", "p") }, nil},
		{"overlay remove hides a later parent write", func(p, o *Store) { p.Set("k", "0") }, true, func(p, o *Store) { o.Remove("k"); p.Set("k", "p") }, nil},
		{"overlay write wins over later parent write", func(p, o *Store) {}, true, func(p, o *Store) { o.Set("k", "o"); p.Set("k", "p") }, "o"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				root := New()
				p := root.Overlay() // a chain of three, so the walk crosses levels
				o := p.Overlay()
				tt.setup(p, o)
				wait := o.Wait
				if tt.change {
					wait = o.WaitChange
				}
				ch := goWait(func() (any, error) { return wait(context.Background(), "k", time.Second) })
				synctest.Wait()
				tt.write(p, o)
				r := <-ch
				var te *TimeoutError
				switch {
				case tt.want == nil && !errors.As(r.err, &te):
					t.Fatalf("got %v, %v; want a timeout", r.v, r.err)
				case tt.want != nil && (r.err != nil || r.v != tt.want):
					t.Fatalf("got %v, %v; want %v", r.v, r.err, tt.want)
				}
				if n := root.waiting() + p.waiting() + o.waiting(); n != 0 {
					t.Errorf("%d waiters left registered", n)
				}
			})
		})
	}
}

// TestOverlayWokenByRoot checks a grandchild wait woken by a write two levels up.
func TestOverlayWokenByRoot(t *testing.T) {
	t.Parallel()
	root := New()
	g := root.Overlay().Overlay()
	ch := goWait(func() (any, error) { return g.Wait(context.Background(), "k", 0) })
	for root.waiting() == 0 {
		time.Sleep(time.Millisecond)
	}
	root.Set("k", int64(1))
	if r := <-ch; r.err != nil || r.v != int64(1) {
		t.Fatalf("got %v, %v; want 1", r.v, r.err)
	}
}

// TestForkReference checks each sentence of the fork reference
// (../shared/seeds/001, "Variables" and the copy option) that says what a fork
// reads: a fork is a background script, its parent the VU, the option
// "create a local copy of existing variable values" the dictionary mode copy
// (checked) or shared and overlay (unchecked). Each case starts with a parent
// holding "existing" = "v0" and a fork made then; each phase writes, then
// checks what both read.
func TestForkReference(t *testing.T) {
	t.Parallel()
	type phase struct {
		do   func(p, c *Store)
		key  string
		want [2]any // what the parent and the fork read ("-": no value)
	}
	set := func(key, v string, onChild bool) func(p, c *Store) {
		return func(p, c *Store) {
			if onChild {
				c.Set(key, v)
			} else {
				p.Set(key, v)
			}
		}
	}
	nothing := func(p, c *Store) {}
	cases := []struct {
		sentence string
		modes    []string
		phases   []phase
	}{
		{"unchecked (by default): existing values of variables are accessed by reference.",
			[]string{"shared", "overlay"}, []phase{{nothing, "existing", [2]any{"v0", "v0"}}}},
		{"unchecked: When a variable value is modified in another thread, the modified value is used by the Fork action.",
			[]string{"shared", "overlay"}, []phase{{set("existing", "v1", false), "existing", [2]any{"v1", "v1"}}}},
		{"checked: existing values of variables are copied locally.",
			[]string{"copy"}, []phase{{nothing, "existing", [2]any{"v0", "v0"}},
				{func(p, c *Store) { p.Remove("existing") }, "existing", [2]any{"-", "v0"}}}},
		{"checked: When a variable value is modified in another thread, the variable value remains unchanged in the Fork action.",
			[]string{"copy"}, []phase{{set("existing", "v1", false), "existing", [2]any{"v1", "v0"}}}},
		{"Variables declared after the Fork is created are accessed by reference by the Fork whatever the option selected.",
			[]string{"shared", "copy", "overlay"}, []phase{{nothing, "later", [2]any{"-", "-"}},
				{set("later", "l1", false), "later", [2]any{"l1", "l1"}},
				{set("later", "l2", false), "later", [2]any{"l2", "l2"}}}},
		{"When NeoLoad variables are used inside a Fork, they are shared for reading in all the execution threads.",
			[]string{"shared", "copy", "overlay"}, []phase{{nothing, "existing", [2]any{"v0", "v0"}},
				{set("later", "l1", false), "later", [2]any{"l1", "l1"}}}},
		{"If, in due course, two execution threads modify the same variable, each of the threads obtains its own variable.",
			[]string{"copy", "overlay"}, []phase{{set("existing", "c1", true), "existing", [2]any{"v0", "c1"}},
				{set("existing", "p1", false), "existing", [2]any{"p1", "c1"}},
				{set("later", "l1", false), "later", [2]any{"l1", "l1"}},
				{set("later", "c1", true), "later", [2]any{"l1", "c1"}},
				{set("later", "l2", false), "later", [2]any{"l2", "c1"}}}},
		{"a Fork can access variables that have been modified locally by its parent until such time as it modifies them itself.",
			[]string{"copy", "overlay"}, []phase{{set("later", "l1", false), "later", [2]any{"l1", "l1"}},
				{set("later", "l2", false), "later", [2]any{"l2", "l2"}},
				{set("later", "c1", true), "later", [2]any{"l2", "c1"}},
				{set("later", "l3", false), "later", [2]any{"l3", "c1"}}}},
	}
	forks := map[string]func(*Store) *Store{
		"shared":  func(p *Store) *Store { return p },
		"copy":    (*Store).Copy,
		"overlay": (*Store).Overlay,
	}
	for _, tc := range cases {
		for _, mode := range tc.modes {
			t.Run(mode+": "+tc.sentence, func(t *testing.T) {
				t.Parallel()
				p := New()
				p.Set("existing", "v0")
				c := forks[mode](p)
				for i, ph := range tc.phases {
					ph.do(p, c)
					if got := [2]any{read(p, ph.key), read(c, ph.key)}; got != ph.want {
						t.Errorf("phase %d: parent and fork read %s = %v; want %v", i+1, ph.key, got, ph.want)
					}
				}
			})
		}
	}
}

// TestCopyWaitsForLaterKeys waits in a copy for a key its parent declares later:
// the parent's write wakes it (the key is read by reference), while a key the
// copy holds is not changed by the parent.
func TestCopyWaitsForLaterKeys(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := New()
		p.Set("existing", "v0")
		c := p.Copy()
		ch := goWait(func() (any, error) { return c.Wait(context.Background(), "token", time.Second) })
		change := goWait(func() (any, error) { return c.WaitChange(context.Background(), "existing", time.Second) })
		synctest.Wait()
		p.Set("token", "t1")
		p.Set("existing", "v1")
		if r := <-ch; r.err != nil || r.v != "t1" {
			t.Errorf("a wait for a later key got %v, %v; want t1", r.v, r.err)
		}
		var te *TimeoutError
		if r := <-change; !errors.As(r.err, &te) {
			t.Errorf("a wait for a change of a copied key got %v, %v; want a timeout", r.v, r.err)
		}
	})
}
