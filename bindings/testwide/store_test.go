package testwide

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestIncrementConcurrent: 64 goroutines incrementing one key end exactly where
// sequential increments would.
func TestIncrementConcurrent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		by   any
		want any
	}{
		{"by one", int64(1), int64(64 * 1000)},
		{"by three", int64(3), int64(3 * 64 * 1000)},
		{"by a half", 0.5, float64(32 * 1000)},
		{"down", int64(-2), int64(-2 * 64 * 1000)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var s Store
			var wg sync.WaitGroup
			for range 64 {
				wg.Go(func() {
					for range 1000 {
						if _, err := s.Increment("n", tc.by); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			if got, _ := s.Get("n"); got != tc.want {
				t.Errorf("after 64×1000 increments by %v: %v (%T), want %v (%T)", tc.by, got, got, tc.want, tc.want)
			}
		})
	}
}

func TestIncrement(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		start   any // nil: key missing
		by      any
		want    any
		wantErr string
	}{
		{"missing key counts as 0", nil, int64(1), int64(1), ""},
		{"integers stay integers", int64(41), int64(1), int64(42), ""},
		{"float increment", int64(1), 0.5, 1.5, ""},
		{"float value", 1.5, int64(2), 3.5, ""},
		{"negative", int64(1), int64(-3), int64(-2), ""},
		{"string value", "abc", int64(1), nil, `the value is the string "abc", not a number`},
		{"object value", map[string]any{}, int64(1), nil, "the value is an object, not a number"},
		{"string increment", int64(1), "5", nil, `the increment the string "5" is not a number`},
		{"NaN increment", int64(1), math.NaN(), nil, "the increment NaN is not a finite number"},
		{"infinite increment", 1.5, math.Inf(-1), nil, "the increment -Inf is not a finite number"},
		{"integer overflow", int64(math.MaxInt64), int64(1), nil, "overflows a 64-bit integer"},
		{"integer underflow", int64(math.MinInt64), int64(-1), nil, "overflows a 64-bit integer"},
		{"float overflow", math.MaxFloat64, math.MaxFloat64, nil, "the sum overflows"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var s Store
			s.Set("k", tc.start)
			got, err := s.Increment("k", tc.by)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("Increment(%v by %v): got %v, %v; want an error containing %q", tc.start, tc.by, got, err, tc.wantErr)
				}
				if v, _ := s.Get("k"); !reflect.DeepEqual(v, tc.start) {
					t.Errorf("a failed increment changed the value %v to %v", tc.start, v)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Increment(%v by %v): got %v (%T), %v; want %v (%T)", tc.start, tc.by, got, got, err, tc.want, tc.want)
			}
			if v, _ := s.Get("k"); v != tc.want {
				t.Errorf("Get after Increment: %v, want %v", v, tc.want)
			}
		})
	}
}

func TestGetSet(t *testing.T) {
	t.Parallel()
	var s Store
	if v, ok := s.Get("missing"); ok || v != nil {
		t.Errorf("Get on an empty store: %v, %v", v, ok)
	}
	obj := map[string]any{"a": []any{int64(1), "x"}}
	s.Set("obj", obj)
	if v, ok := s.Get("obj"); !ok || !reflect.DeepEqual(v, obj) {
		t.Errorf("Get(obj): %v, %v", v, ok)
	}
	s.Set("obj", nil)
	if _, ok := s.Get("obj"); ok {
		t.Errorf("Set(nil) did not remove the key")
	}
	s.Set("q", "value")
	s.Push("q", "item")
	if v, _ := s.Get("q"); v != "value" || s.Size("q") != 1 {
		t.Errorf("values and lists share a namespace: get %v, size %d", v, s.Size("q"))
	}
}

// TestKeysSpread checks that keys are spread over the stripes, so unrelated keys
// rarely share a lock.
func TestKeysSpread(t *testing.T) {
	t.Parallel()
	var s Store
	used := map[*shard]bool{}
	for i := range 1000 {
		used[s.shardFor("key"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('0'+i%10)))] = true
	}
	if len(used) < shardCount*3/4 {
		t.Errorf("1000 keys use %d of %d stripes", len(used), shardCount)
	}
}

// BenchmarkIncrement measures Store.Increment by 8 goroutines at once (when
// GOMAXPROCS divides 8) on one key, the worst case for the lock stripes, and on
// a key per goroutine.
func BenchmarkIncrement(b *testing.B) {
	for _, tc := range []struct {
		name     string
		keyPerGo bool
	}{{"one key", false}, {"key per goroutine", true}} {
		b.Run(tc.name, func(b *testing.B) {
			var s Store
			var ids atomic.Int64
			b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				key := "orders"
				if tc.keyPerGo {
					key = fmt.Sprintf("orders-%d", ids.Add(1))
				}
				for pb.Next() {
					if _, err := s.Increment(key, int64(1)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
