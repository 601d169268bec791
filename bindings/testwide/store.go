// Package testwide holds the test-wide store, the `shared` object of the VU API
// (README: "Between VUs"): named values with atomic increments, and named FIFO
// lists with blocking pops, visible to every VU of a test. (Not to be confused
// with the 'shared' dictionary mode of background scripts, nor with 'shared'
// data rows: the package is named for its scope.)
//
// A Store is plain goroutine-safe Go holding JSON-like Go values (nil, bool,
// int64, float64, string, []any, map[string]any), never goja values; binding.go
// makes it the `shared` object of the VU API and copies values in and out of each
// runtime. Keys are spread over lock stripes so unrelated keys do not contend.
package testwide

import (
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
)

// shardCount is the number of lock stripes; a power of two.
const shardCount = 64

// Store is a test-wide store of named values and named lists. Values and lists
// are separate namespaces: push('q', 1) does not change get('q'). Safe for
// concurrent use; the zero value is ready. Stored values are never modified in
// place, so a value returned by Get must be treated as read-only.
type Store struct {
	shards [shardCount]shard
}

// shard is one lock stripe, padded to its own cache line.
type shard struct {
	mu     sync.Mutex
	values map[string]any
	lists  map[string]*list
	_      [40]byte
}

// seed makes stripes differ between runs, so no fixed set of names can collide.
var seed = maphash.MakeSeed()

// shardFor picks the stripe of name (the same for values and lists).
func (s *Store) shardFor(name string) *shard {
	return &s.shards[maphash.String(seed, name)&(shardCount-1)]
}

// Get returns the value under key and whether there is one.
func (s *Store) Get(key string) (any, bool) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	v, ok := sh.values[key]
	sh.mu.Unlock()
	return v, ok
}

// Set stores v under key; a nil v removes the key. v must be JSON-like and must
// not be modified afterwards.
func (s *Store) Set(key string, v any) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if v == nil {
		delete(sh.values, key)
		return
	}
	if sh.values == nil {
		sh.values = map[string]any{}
	}
	sh.values[key] = v
}

// Increment adds by (an int64 or a float64) to the number under key, atomically,
// and returns the new value; a missing key counts as 0. Integers stay integers
// unless either side is a float64. It fails, changing nothing, when by is not a
// finite number, the stored value is not a number, or the sum would overflow.
func (s *Store) Increment(key string, by any) (any, error) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	cur, ok := sh.values[key]
	if !ok {
		cur = int64(0)
	}
	next, err := add(cur, by)
	if err != nil {
		return nil, err
	}
	if sh.values == nil {
		sh.values = map[string]any{}
	}
	sh.values[key] = next
	return next, nil
}

// add returns a + b for two numbers (int64, or a finite float64 for b).
func add(a, b any) (any, error) {
	switch b := b.(type) {
	case int64:
	case float64:
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return nil, fmt.Errorf("the increment %s is not a finite number: give a number, e.g. increment(key, 5)", describe(b))
		}
	default:
		return nil, fmt.Errorf("the increment %s is not a number: give a number, e.g. increment(key, 5)", describe(b))
	}
	switch a := a.(type) {
	case int64:
		if bi, ok := b.(int64); ok {
			sum := a + bi
			if (bi > 0 && sum < a) || (bi < 0 && sum > a) {
				return nil, errors.New("the sum overflows a 64-bit integer: reset the value with set()")
			}
			return sum, nil
		}
		return float64(a) + b.(float64), nil
	case float64:
		if bi, ok := b.(int64); ok {
			return a + float64(bi), nil
		}
		sum := a + b.(float64)
		if math.IsInf(sum, 0) {
			return nil, errors.New("the sum overflows: reset the value with set()")
		}
		return sum, nil
	}
	return nil, fmt.Errorf("the value is %s, not a number: increment works on numbers, so set the key to a number first or use another key", describe(a))
}

// describe names a stored value for an error message, briefly.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("the boolean %t", v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", v)
}
