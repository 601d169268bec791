package metrics

import (
	"iter"
	"slices"
	"strings"
	"unique"
)

// Separators of the canonical encoding. They are control characters that never
// occur in sensible tag keys or values; if one does, it is replaced by '_'.
const (
	pairSep = '\x1e'
	kvSep   = '\x1f'
)

// Tags is an immutable, comparable set of key=value pairs attached to samples.
// It is an interned handle (package unique) to one canonical string with the
// pairs sorted by key: two Tags are equal exactly when they hold the same
// pairs, and comparing or hashing one costs a pointer, which keeps series
// lookups on the hot path cheap. Interned strings are freed once no Tags refer
// to them. The zero value is the empty set. Building Tags allocates; hold on
// to Tags used repeatedly (per request name, per script) so the hot path does
// not.
type Tags struct{ h unique.Handle[string] }

// makeTags interns a canonical encoding; "" is the zero Tags.
func makeTags(s string) Tags {
	if s == "" {
		return Tags{}
	}
	return Tags{unique.Make(s)}
}

// enc returns the canonical encoding.
func (t Tags) enc() string {
	if t == (Tags{}) {
		return ""
	}
	return t.h.Value()
}

// NewTags builds Tags from alternating keys and values. Pairs with an empty key
// are dropped; for a duplicated key the last value wins. Like
// strings.NewReplacer, it panics when given an odd number of arguments.
func NewTags(kv ...string) Tags {
	if len(kv)%2 == 1 {
		panic("metrics.NewTags: odd argument count")
	}
	pairs := make([][2]string, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		pairs = append(pairs, [2]string{kv[i], kv[i+1]})
	}
	return fromPairs(pairs)
}

// TagsFromMap builds Tags from a map.
func TagsFromMap(m map[string]string) Tags {
	pairs := make([][2]string, 0, len(m))
	for k, v := range m {
		pairs = append(pairs, [2]string{k, v})
	}
	return fromPairs(pairs)
}

// fromPairs sorts pairs stably by key, keeps the last value of each key and
// encodes them.
func fromPairs(pairs [][2]string) Tags {
	slices.SortStableFunc(pairs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	var b strings.Builder
	for i, p := range pairs {
		if p[0] == "" || (i+1 < len(pairs) && pairs[i+1][0] == p[0]) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(pairSep)
		}
		writeClean(&b, p[0])
		b.WriteByte(kvSep)
		writeClean(&b, p[1])
	}
	return makeTags(b.String())
}

func writeClean(b *strings.Builder, s string) {
	if !strings.ContainsAny(s, "\x1e\x1f") {
		b.WriteString(s)
		return
	}
	for _, r := range s {
		if r == pairSep || r == kvSep {
			r = '_'
		}
		b.WriteRune(r)
	}
}

// All iterates over the pairs in key order.
func (t Tags) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		rest := t.enc()
		for rest != "" {
			pair, tail, _ := strings.Cut(rest, string(pairSep))
			rest = tail
			k, v, _ := strings.Cut(pair, string(kvSep))
			if !yield(k, v) {
				return
			}
		}
	}
}

// Get returns the value of key k.
func (t Tags) Get(k string) (string, bool) {
	for key, v := range t.All() {
		if key == k {
			return v, true
		}
	}
	return "", false
}

// Len returns the number of pairs.
func (t Tags) Len() int {
	if t.IsEmpty() {
		return 0
	}
	return strings.Count(t.enc(), string(pairSep)) + 1
}

// IsEmpty reports whether t has no pairs.
func (t Tags) IsEmpty() bool { return t == (Tags{}) }

// With returns t with key k set to v (added or replaced).
func (t Tags) With(k, v string) Tags {
	if k == "" {
		return t
	}
	if old, ok := t.Get(k); ok && old == v {
		return t
	}
	pairs := t.pairs()
	pairs = append(pairs, [2]string{k, v})
	return fromPairs(pairs)
}

// Merge returns t with every pair of o added, o winning on conflicts.
func (t Tags) Merge(o Tags) Tags {
	switch {
	case o.IsEmpty():
		return t
	case t.IsEmpty():
		return o
	}
	return fromPairs(append(t.pairs(), o.pairs()...))
}

// Contains reports whether every pair of sub is also in t: the sample matches
// the filter sub. Every Tags contains the empty set.
func (t Tags) Contains(sub Tags) bool {
	for k, v := range sub.All() {
		if got, ok := t.Get(k); !ok || got != v {
			return false
		}
	}
	return true
}

// Map returns the pairs as a new map (nil when empty).
func (t Tags) Map() map[string]string {
	if t.IsEmpty() {
		return nil
	}
	m := make(map[string]string, t.Len())
	for k, v := range t.All() {
		m[k] = v
	}
	return m
}

// String renders t as "k=v,k2=v2" in key order ("" when empty).
func (t Tags) String() string {
	return t.join("=", ",")
}

// filterString renders t the way thresholds name sub-metrics: "k:v,k2:v2".
func (t Tags) filterString() string {
	return t.join(":", ",")
}

func (t Tags) join(kv, sep string) string {
	if t.IsEmpty() {
		return ""
	}
	var b strings.Builder
	for k, v := range t.All() {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(k)
		b.WriteString(kv)
		b.WriteString(v)
	}
	return b.String()
}

func (t Tags) pairs() [][2]string {
	pairs := make([][2]string, 0, t.Len()+1)
	for k, v := range t.All() {
		pairs = append(pairs, [2]string{k, v})
	}
	return pairs
}

// compare orders Tags by their canonical encoding, for stable output.
func (t Tags) compare(o Tags) int { return strings.Compare(t.enc(), o.enc()) }
