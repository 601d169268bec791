package dict

import (
	"maps"
	"runtime"
	"slices"
	"sync"
)

// Store is one virtual user's data dictionary. It is safe for concurrent use
// by any number of goroutines (the VU's main runtime and its background
// runtimes); each Store has its own lock, nothing is shared between Stores
// except an overlay's read-through to its parent.
//
// Values are plain Go values: string, int64, float64, bool, nil, []any and
// map[string]any (other integer and float kinds are normalised to int64 and
// float64 by [Store.Set]). Composite values are not copied: a caller hands
// them over on Set and must not mutate them afterwards, nor mutate what
// [Store.Get] returns.
//
// A Store made by [New] or [Store.Snapshot] stands alone. One made by
// [Store.Overlay] or [Store.Copy] reads through to its parent for keys it has
// not written or removed itself (a copy holds its own value of every key its
// parent had when it was made).
//
// The zero Store is not usable; call [New].
type Store struct {
	parent *Store // nil unless this is an overlay

	mu      sync.RWMutex
	iter    int64 // the value of IterationKey when hasIter, see SetInt
	hasIter bool
	vals    map[string]any
	hidden  map[string]struct{}  // overlay only: keys removed here, hiding the parent's
	waiters map[string][]*waiter // per-key waiters woken by the next write of the key
}

// IterationKey is the standard key a VU's iteration number is kept current
// in. A Store holds an integer value of it in a field of its own rather than
// in its map: the scheduler writes it at the start of every iteration, and a
// write to a field beside the Store's lock costs one cache line where a write
// to a map of a few dozen keys costs several, each seldom in the cache with
// hundreds of VUs running between two iterations of one.
const IterationKey = "iteration"

// New returns an empty standalone Store.
func New() *Store {
	return &Store{vals: make(map[string]any)}
}

// NewFrom returns a standalone Store holding a copy of m, whose values must already
// be normalised (see [Normalize]). Copying a whole map at once is much cheaper than
// setting its keys one by one, which matters when thousands of VUs start with the
// same standard keys.
func NewFrom(m map[string]any) *Store {
	return &Store{vals: maps.Clone(m)}
}

// Get returns the value for key and whether it exists.
func (s *Store) Get(key string) (any, bool) {
	v, ok, _ := s.lookup(key, nil)
	return v, ok
}

// lookup walks the chain from s towards its root, stopping before stop (nil
// walks the whole chain). The first Store that has a value for key or has
// removed it decides: lookup returns its value and whether it has one, and
// decided is true. decided is false when no Store before stop shadows key.
func (s *Store) lookup(key string, stop *Store) (v any, ok, decided bool) {
	for cur := s; cur != stop && cur != nil; cur = cur.parent {
		cur.mu.RLock()
		v, has := cur.own(key)
		_, hid := cur.hidden[key]
		cur.mu.RUnlock()
		if has || hid {
			return v, has, true
		}
	}
	return nil, false, false
}

// Has reports whether key has a value.
func (s *Store) Has(key string) bool {
	_, ok := s.Get(key)
	return ok
}

// Set adds or replaces the value for key and wakes every goroutine waiting on
// key in this Store and in overlays that read key through from it.
func (s *Store) Set(key string, v any) {
	v = Normalize(v)
	s.mu.Lock()
	s.setOwn(key, v)
	ws := s.takeWaiters(key)
	s.mu.Unlock()
	for _, w := range ws {
		w.fire(v, s)
	}
	handOff(len(ws))
}

// SetInt is Set of an integer, without boxing it unless a waiter needs it.
func (s *Store) SetInt(key string, n int64) {
	if key != IterationKey {
		s.Set(key, n)
		return
	}
	s.mu.Lock()
	s.setIter(n)
	ws := s.takeWaiters(key)
	s.mu.Unlock()
	if len(ws) == 0 {
		return
	}
	var v any = n
	for _, w := range ws {
		w.fire(v, s)
	}
	handOff(len(ws))
}

// own returns s's own value of key (not its ancestors'); s.mu is held.
func (s *Store) own(key string) (any, bool) {
	if key == IterationKey && s.hasIter {
		return s.iter, true
	}
	v, ok := s.vals[key]
	return v, ok
}

// setOwn sets s's own value of key, normalised; s.mu is held.
func (s *Store) setOwn(key string, v any) {
	if n, ok := v.(int64); ok && key == IterationKey {
		s.setIter(n)
		return
	}
	if key == IterationKey {
		s.hasIter = false
	}
	s.vals[key] = v
	delete(s.hidden, key)
}

// setIter sets IterationKey to n; s.mu is held.
func (s *Store) setIter(n int64) {
	if !s.hasIter {
		delete(s.vals, IterationKey)
		delete(s.hidden, IterationKey)
		s.hasIter = true
	}
	s.iter = n
}

// deleteOwn removes s's own value of key and reports whether it had one; s.mu
// is held.
func (s *Store) deleteOwn(key string) bool {
	if key == IterationKey && s.hasIter {
		s.hasIter = false
		return true
	}
	if _, ok := s.vals[key]; ok {
		delete(s.vals, key)
		return true
	}
	return false
}

// ownMap returns a copy of s's own values; s.mu is held.
func (s *Store) ownMap() map[string]any {
	m := maps.Clone(s.vals)
	if s.hasIter {
		m[IterationKey] = s.iter
	}
	return m
}

// handOff yields the processor after a write woke waiters, so a woken goroutine
// (typically the VU's main script, blocked in waitFor) runs at once on this
// processor instead of waiting for an idle OS thread to be woken to pick it up,
// which costs tens of microseconds on a virtual machine.
func handOff(woken int) {
	if woken > 0 {
		runtime.Gosched()
	}
}

// SetMany sets every key of m under one lock acquisition, as when a data row
// is loaded at the start of an iteration, then wakes the waiters of those
// keys. m is only read.
func (s *Store) SetMany(m map[string]any) {
	var woken []*waiter
	var vals []any
	s.mu.Lock()
	for k, v := range m {
		v = Normalize(v)
		s.setOwn(k, v)
		for _, w := range s.takeWaiters(k) {
			woken = append(woken, w)
			vals = append(vals, v)
		}
	}
	s.mu.Unlock()
	for i, w := range woken {
		w.fire(vals[i], s)
	}
	handOff(len(woken))
}

// takeWaiters removes and returns the waiters of key. s.mu must be held.
func (s *Store) takeWaiters(key string) []*waiter {
	ws, ok := s.waiters[key]
	if ok {
		delete(s.waiters, key)
	}
	return ws
}

// Remove deletes key and reports whether it had a value. Removing a key from
// an overlay hides the parent's value for that key in the overlay only.
// Removing does not wake waiters: they wait for a value.
func (s *Store) Remove(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deleteOwn(key) {
		if s.parent != nil {
			s.hide(key)
		}
		return true
	}
	if s.parent == nil {
		return false
	}
	if _, hid := s.hidden[key]; hid {
		return false
	}
	// Lock order is always overlay before parent, so this cannot deadlock.
	if !s.parent.Has(key) {
		return false
	}
	s.hide(key)
	return true
}

// hide records that key is removed in this overlay. s.mu must be held.
func (s *Store) hide(key string) {
	if s.hidden == nil {
		s.hidden = make(map[string]struct{})
	}
	s.hidden[key] = struct{}{}
}

// Keys returns the keys that have a value, sorted.
func (s *Store) Keys() []string {
	return slices.Sorted(maps.Keys(s.flatten()))
}

// flatten returns a new map with every visible key and its value. Each level
// is read-locked while its ancestors are read, so the result is a consistent
// view of the chain.
func (s *Store) flatten() map[string]any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.parent == nil {
		return s.ownMap()
	}
	m := s.parent.flatten()
	for k := range s.hidden {
		delete(m, k)
	}
	maps.Copy(m, s.ownMap())
	return m
}

// Snapshot returns a standalone Store holding a copy of every key visible in s
// at this moment. Later writes to either side are not seen by the other.
// Composite values are shared, which is safe because stored values are never
// mutated.
func (s *Store) Snapshot() *Store {
	return &Store{vals: s.flatten()}
}

// Overlay returns a copy-on-write child of s. Reads of a key fall through to
// s until the overlay sets or removes that key; from then on the overlay has
// its own value (or none) and writes to s for that key are no longer seen.
// Writes to the overlay never reach s. Keys s adds or changes later are
// visible for every key the overlay has not written. A wait on the overlay is
// woken by the overlay's own writes and by writes to s (or further ancestors)
// of keys the overlay does not shadow.
//
// The overlay holds no resources in s: dropping it is enough.
func (s *Store) Overlay() *Store {
	return &Store{parent: s, vals: make(map[string]any)}
}

// Copy returns a copy-on-write child of s holding a copy of every key visible in
// s now: later writes to s of those keys are not seen by the child. Keys s does
// not have now are read through to s (by reference, as an overlay reads them)
// until the child sets or removes them: the rule of the fork reference, "variables
// declared after the fork is created are accessed by reference whatever the
// option". Writes to the child never reach s; a wait on the child for a key it
// does not hold is woken by writes to s.
func (s *Store) Copy() *Store {
	return &Store{parent: s, vals: s.flatten()}
}

// Normalize converts Go numeric kinds to the dictionary's int64 and float64
// and returns other values unchanged. Unsigned values above the int64 range
// become float64.
func Normalize(v any) any {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int8:
		return int64(n)
	case int16:
		return int64(n)
	case int32:
		return int64(n)
	case uint:
		return normUint(uint64(n))
	case uint8:
		return int64(n)
	case uint16:
		return int64(n)
	case uint32:
		return int64(n)
	case uint64:
		return normUint(n)
	case float32:
		return float64(n)
	}
	return v
}

func normUint(n uint64) any {
	if n > 1<<63-1 {
		return float64(n)
	}
	return int64(n)
}
