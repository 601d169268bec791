package dict

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestStoreBasics(t *testing.T) {
	t.Parallel()
	s := New()
	s.Set("a", "x")
	s.Set("n", 3) // int is normalised to int64
	s.SetMany(map[string]any{"b": true, "f": float32(1.5)})

	tests := []struct {
		key    string
		want   any
		exists bool
	}{
		{"a", "x", true},
		{"n", int64(3), true},
		{"b", true, true},
		{"f", 1.5, true},
		{"missing", nil, false},
	}
	for _, tt := range tests {
		v, ok := s.Get(tt.key)
		if ok != tt.exists || v != tt.want {
			t.Errorf("Get(%q) = %v, %v; want %v, %v", tt.key, v, ok, tt.want, tt.exists)
		}
		if s.Has(tt.key) != tt.exists {
			t.Errorf("Has(%q) = %v; want %v", tt.key, !tt.exists, tt.exists)
		}
	}
	if got, want := s.Keys(), []string{"a", "b", "f", "n"}; !slices.Equal(got, want) {
		t.Errorf("Keys() = %v; want %v", got, want)
	}
	if !s.Remove("a") || s.Remove("a") || s.Has("a") {
		t.Errorf("Remove(a) twice: want true then false and the key gone")
	}
	if n := len(s.Keys()); n != 3 {
		t.Errorf("%d keys; want 3", n)
	}
}

func TestStoreTypedReads(t *testing.T) {
	t.Parallel()
	s := New()
	s.SetMany(map[string]any{
		"str3": "3", "str35": "3.5", "f3": 3.0, "f35": 3.5, "i": int64(7), "abc": "abc",
		"T": "TRUE", "one": "1", "zero": "0", "b": false, "obj": map[string]any{"k": int64(1)},
	})
	var (
		asInt    = func(k string, v any) (any, error) { return ConvertInt(k, v) }
		asFloat  = func(k string, v any) (any, error) { return ConvertFloat(k, v) }
		asBool   = func(k string, v any) (any, error) { return ConvertBool(k, v) }
		asString = func(k string, v any) (any, error) { return ConvertString(k, v) }
	)
	tests := []struct {
		name string
		key  string
		conv func(key string, v any) (any, error)
		want any
		err  string // substring of the error, "" for none
	}{
		{"int from string", "str3", asInt, int64(3), ""},
		{"int from integral float", "f3", asInt, int64(3), ""},
		{"int from fraction string", "str35", asInt, int64(0), `key "str35": cannot convert "3.5" (string) to integer`},
		{"int from fraction", "f35", asInt, int64(0), "cannot convert 3.5 (number) to integer"},
		{"int from word", "abc", asInt, int64(0), `"abc" (string) to integer`},
		{"float from string", "str35", asFloat, 3.5, ""},
		{"float from int", "i", asFloat, 7.0, ""},
		{"bool TRUE", "T", asBool, true, ""},
		{"bool 1", "one", asBool, true, ""},
		{"bool 0", "zero", asBool, false, ""},
		{"bool from word", "abc", asBool, false, "to boolean"},
		{"string from int", "i", asString, "7", ""},
		{"string from float", "f35", asString, "3.5", ""},
		{"string from bool", "b", asString, "false", ""},
		{"string from object", "obj", asString, `{"k":1}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, ok := s.Get(tt.key)
			if !ok {
				t.Fatalf("Get(%q): missing", tt.key)
			}
			got, err := tt.conv(tt.key, v)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v; want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}

	v, _ := s.Get("abc")
	_, err := ConvertInt("abc", v)
	var ce *ConversionError
	if !errors.As(err, &ce) || ce.Key != "abc" || ce.Value != "abc" || ce.Want != WantInteger {
		t.Errorf("ConvertInt(abc) error = %#v; want a *ConversionError naming key, value and type", err)
	}
}

func TestConvert(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     any
		str    string
		i      int64
		iOK    bool
		f      float64
		fOK    bool
		b, bOK bool
	}{
		{in: "3", str: "3", i: 3, iOK: true, f: 3, fOK: true},
		{in: " 42 ", str: " 42 ", i: 42, iOK: true, f: 42, fOK: true},
		{in: "3.0", str: "3.0", i: 3, iOK: true, f: 3, fOK: true},
		{in: "3.5", str: "3.5", f: 3.5, fOK: true},
		{in: 3.0, str: "3", i: 3, iOK: true, f: 3, fOK: true},
		{in: 1e21, str: "1e+21", f: 1e21, fOK: true},
		{in: 0.1, str: "0.1", f: 0.1, fOK: true},
		{in: int64(1), str: "1", i: 1, iOK: true, f: 1, fOK: true, b: true, bOK: true},
		{in: int64(2), str: "2", i: 2, iOK: true, f: 2, fOK: true},
		{in: "False", str: "False", b: false, bOK: true},
		{in: "tRuE", str: "tRuE", b: true, bOK: true},
		{in: true, str: "true", b: true, bOK: true},
		{in: uint8(5), str: "5", i: 5, iOK: true, f: 5, fOK: true},
		{in: []any{"a", int64(1)}, str: `["a",1]`},
	}
	for _, tt := range tests {
		if got, err := ConvertString("k", tt.in); err != nil || got != tt.str {
			t.Errorf("ConvertString(%#v) = %q, %v; want %q", tt.in, got, err, tt.str)
		}
		if got, err := ConvertInt("k", tt.in); (err == nil) != tt.iOK || got != tt.i {
			t.Errorf("ConvertInt(%#v) = %d, %v; want %d (ok %v)", tt.in, got, err, tt.i, tt.iOK)
		}
		if got, err := ConvertFloat("k", tt.in); (err == nil) != tt.fOK || got != tt.f {
			t.Errorf("ConvertFloat(%#v) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.f, tt.fOK)
		}
		if got, err := ConvertBool("k", tt.in); (err == nil) != tt.bOK || got != tt.b {
			t.Errorf("ConvertBool(%#v) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.b, tt.bOK)
		}
	}
	if _, err := ConvertString("k", nil); err == nil || !strings.Contains(err.Error(), "null") {
		t.Errorf("ConvertString(nil) error = %v; want one naming null", err)
	}
}

// TestStoresIndependent checks that Stores share no state.
func TestStoresIndependent(t *testing.T) {
	t.Parallel()
	a, b := New(), New()
	a.Set("k", "a")
	if b.Has("k") {
		t.Fatalf("a write to one Store is visible in another")
	}
}

// TestIterationKey: the iteration number, kept in a field of its own, reads,
// lists, copies, waits and is removed as any other key.
func TestIterationKey(t *testing.T) {
	t.Parallel()
	s := New()
	s.Set("a", 1)
	s.SetInt(IterationKey, 7)
	if v, ok := s.Get(IterationKey); !ok || v != int64(7) {
		t.Fatalf("Get = %v, %v; want 7", v, ok)
	}
	if got := s.Keys(); !slices.Equal(got, []string{"a", IterationKey}) {
		t.Errorf("Keys = %v", got)
	}
	snap := s.Snapshot()
	ov := s.Overlay()
	s.SetInt(IterationKey, 8)
	if v, _ := snap.Get(IterationKey); v != int64(7) {
		t.Errorf("snapshot's iteration = %v, want 7", v)
	}
	if v, _ := ov.Get(IterationKey); v != int64(8) {
		t.Errorf("overlay reads through %v, want 8", v)
	}
	ov.SetInt(IterationKey, 100)
	if v, _ := s.Get(IterationKey); v != int64(8) {
		t.Errorf("the overlay's write reached its parent: %v", v)
	}
	if !ov.Remove(IterationKey) || ov.Has(IterationKey) {
		t.Errorf("removed from the overlay, still there")
	}
	if v, _ := s.Get(IterationKey); v != int64(8) {
		t.Errorf("parent after the overlay's Remove: %v, want 8", v)
	}
	s.Set(IterationKey, "text") // any other value goes to the map
	if v, _ := s.Get(IterationKey); v != "text" {
		t.Errorf("after Set of a string: %v", v)
	}
	s.SetInt(IterationKey, 9)
	if v, _ := s.Get(IterationKey); v != int64(9) {
		t.Errorf("after SetInt again: %v", v)
	}
	if !s.Remove(IterationKey) || s.Has(IterationKey) || s.Remove(IterationKey) {
		t.Errorf("Remove of the iteration key")
	}

	done := make(chan any)
	go func() {
		v, err := s.WaitChange(context.Background(), IterationKey, 5*time.Second)
		if err != nil {
			t.Error(err)
		}
		done <- v
	}()
	for {
		s.mu.RLock()
		n := len(s.waiters[IterationKey])
		s.mu.RUnlock()
		if n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	s.SetInt(IterationKey, 10)
	if v := <-done; v != int64(10) {
		t.Errorf("WaitChange woke with %v, want 10", v)
	}
}
