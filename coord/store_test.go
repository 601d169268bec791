package coord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings/testwide"
)

// TestStoreLikeLocal runs the same operations on the in-process store and on
// the coordinator's: same values (types included) and same errors.
func TestStoreLikeLocal(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 2)
	ctx := context.Background()
	stores := map[string]testwide.Backend{"local": testwide.Local(&testwide.Store{}), "redis": cs[0].Store()}
	type op struct {
		name string
		do   func(s testwide.Backend) (any, error)
	}
	ops := []op{
		{"increment missing", func(s testwide.Backend) (any, error) { return s.Increment(ctx, "n", int64(1)) }},
		{"increment by 41", func(s testwide.Backend) (any, error) { return s.Increment(ctx, "n", int64(41)) }},
		{"increment by a float", func(s testwide.Backend) (any, error) { return s.Increment(ctx, "n", 0.5) }},
		{"increment a float by an int", func(s testwide.Backend) (any, error) { return s.Increment(ctx, "n", int64(1)) }},
		{"set a string", func(s testwide.Backend) (any, error) { return nil, s.Set(ctx, "s", "abc") }},
		{"increment a string", func(s testwide.Backend) (any, error) { return s.Increment(ctx, "s", int64(1)) }},
		{"set max int", func(s testwide.Backend) (any, error) { return nil, s.Set(ctx, "big", int64(1<<63-1)) }},
		{"overflow", func(s testwide.Backend) (any, error) { return s.Increment(ctx, "big", int64(1)) }},
		{"NaN", func(s testwide.Backend) (any, error) { return s.Increment(ctx, "x", nan()) }},
		{"set an object", func(s testwide.Backend) (any, error) {
			return nil, s.Set(ctx, "o", map[string]any{"a": []any{int64(1), 2.5, "x", true, nil}})
		}},
		{"get the object", func(s testwide.Backend) (any, error) { v, _, err := s.Get(ctx, "o"); return v, err }},
		{"get missing", func(s testwide.Backend) (any, error) { v, ok, err := s.Get(ctx, "none"); return []any{v, ok}, err }},
		{"delete", func(s testwide.Backend) (any, error) { return nil, s.Set(ctx, "o", nil) }},
		{"get deleted", func(s testwide.Backend) (any, error) { v, ok, err := s.Get(ctx, "o"); return []any{v, ok}, err }},
	}
	for _, o := range ops {
		lv, lerr := o.do(stores["local"])
		rv, rerr := o.do(stores["redis"])
		if fmtv(lv) != fmtv(rv) || fmtErr(lerr) != fmtErr(rerr) {
			t.Errorf("%s: local %s, %v; coordinator %s, %v", o.name, fmtv(lv), lerr, fmtv(rv), rerr)
		}
	}
}

func TestStoreLists(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 2)
	ctx := context.Background()
	a, b := cs[0].Store(), cs[1].Store()
	for i := range 5 {
		if err := a.Push(ctx, "q", int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := b.Size(ctx, "q"); n != 5 || err != nil {
		t.Fatalf("size %d, %v", n, err)
	}
	for i := range 5 {
		v, ok, err := b.Pop(ctx, "q", time.Second)
		if !ok || err != nil || v != int64(i) {
			t.Fatalf("pop %d: %v %v %v", i, v, ok, err)
		}
	}
	begin := time.Now()
	v, ok, err := b.Pop(ctx, "q", 300*time.Millisecond)
	if ok || err != nil || v != nil {
		t.Fatalf("pop of an empty list: %v %v %v", v, ok, err)
	}
	if d := time.Since(begin); d < 300*time.Millisecond {
		t.Errorf("pop timed out after %v, want 300ms", d)
	}
	// A pop waiting for a value gets the one pushed later, from another instance.
	got := make(chan any)
	go func() {
		v, _, _ := b.Pop(ctx, "later", 0)
		got <- v
	}()
	time.Sleep(50 * time.Millisecond) // let the pop wait: it may also find the value at once
	if err := a.Push(ctx, "later", "x"); err != nil {
		t.Fatal(err)
	}
	if v := <-got; v != "x" {
		t.Errorf("waiting pop got %v", v)
	}
	// A stopped pop returns its cause and takes nothing.
	cctx, cancel := context.WithCancelCause(ctx)
	stopped := errors.New("stopped")
	time.AfterFunc(100*time.Millisecond, func() { cancel(stopped) })
	if _, _, err := b.Pop(cctx, "empty", 0); !errors.Is(err, stopped) {
		t.Errorf("stopped pop: %v", err)
	}
}

// TestIncrementSequence: increments from several instances at once give one
// sequence without gaps or duplicates.
func TestIncrementSequence(t *testing.T) {
	t.Parallel()
	_, cs, _ := run(t, 3)
	const each = 200
	results := make(chan int64, 3*each)
	done := make(chan struct{})
	for _, c := range cs {
		go func() {
			defer func() { done <- struct{}{} }()
			for range each {
				v, err := c.Store().Increment(context.Background(), "seq", int64(1))
				if err != nil {
					t.Error(err)
					return
				}
				results <- v.(int64)
			}
		}()
	}
	for range cs {
		<-done
	}
	close(results)
	seen := map[int64]bool{}
	for v := range results {
		if seen[v] || v < 1 || v > 3*each {
			t.Fatalf("value %d repeated or out of range", v)
		}
		seen[v] = true
	}
	if len(seen) != 3*each {
		t.Errorf("%d values, want %d", len(seen), 3*each)
	}
}

func fmtv(v any) string { return strings.ReplaceAll(sprint(v), " ", "") }

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
