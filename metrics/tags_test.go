package metrics

import (
	"maps"
	"testing"
)

func TestTags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tags   Tags
		want   string
		length int
	}{
		{"empty", Tags{}, "", 0},
		{"sorted", NewTags("b", "2", "a", "1"), "a=1,b=2", 2},
		{"last wins", NewTags("a", "1", "a", "2"), "a=2", 1},
		{"empty key dropped", NewTags("", "x", "a", "1"), "a=1", 1},
		{"separators cleaned", NewTags("a", "x\x1ey\x1fz"), "a=x_y_z", 1},
		{"from map", TagsFromMap(map[string]string{"z": "9", "m": "5"}), "m=5,z=9", 2},
		{"with adds", NewTags("a", "1").With("c", "3"), "a=1,c=3", 2},
		{"with replaces", NewTags("a", "1", "b", "2").With("a", "9"), "a=9,b=2", 2},
		{"merge", NewTags("a", "1", "b", "2").Merge(NewTags("b", "3", "c", "4")), "a=1,b=3,c=4", 3},
		{"value with comma and equals", NewTags("url", "http://x/?a=1,2"), "url=http://x/?a=1,2", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.tags.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := tt.tags.Len(); got != tt.length {
				t.Errorf("Len() = %d, want %d", got, tt.length)
			}
			if back := TagsFromMap(tt.tags.Map()); back != tt.tags {
				t.Errorf("TagsFromMap(Map()) = %q, want %q", back, tt.tags)
			}
		})
	}
}

func TestTagsComparable(t *testing.T) {
	t.Parallel()
	a := NewTags("method", "GET", "status", "200")
	b := NewTags("status", "200", "method", "GET")
	if a != b {
		t.Fatalf("equal sets compare unequal: %q vs %q", a, b)
	}
	m := map[Tags]int{a: 1}
	if m[b] != 1 {
		t.Errorf("map lookup with equal set failed")
	}
	if got := maps.Collect(a.All()); got["method"] != "GET" || got["status"] != "200" {
		t.Errorf("All() = %v", got)
	}
}

func TestTagsContains(t *testing.T) {
	t.Parallel()
	set := NewTags("method", "GET", "status", "200", "transaction", "login")
	tests := []struct {
		sub  Tags
		want bool
	}{
		{Tags{}, true},
		{NewTags("status", "200"), true},
		{NewTags("status", "200", "method", "GET"), true},
		{NewTags("status", "500"), false},
		{NewTags("name", "x"), false},
		{NewTags("transaction", "log"), false},
	}
	for _, tt := range tests {
		if got := set.Contains(tt.sub); got != tt.want {
			t.Errorf("Contains(%q) = %v, want %v", tt.sub, got, tt.want)
		}
	}
}

func TestNewTagsOddPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Errorf("NewTags with an odd count did not panic")
		}
	}()
	NewTags("a")
}
