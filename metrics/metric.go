package metrics

import "fmt"

// Type is the kind of a metric; it decides how its samples aggregate.
// The zero Type is invalid.
type Type uint8

const (
	// Counter sums its samples (http_reqs, data_sent).
	Counter Type = iota + 1
	// Gauge keeps the last sample, and the smallest and largest seen (vus).
	Gauge
	// Rate counts how many samples were non-zero ("true") out of all (checks).
	Rate
	// Trend keeps count, sum, min, max and a bounded histogram for percentiles
	// (http_req_duration).
	Trend
)

var typeNames = [...]string{Counter: "counter", Gauge: "gauge", Rate: "rate", Trend: "trend"}

// String returns the lowercase name of t ("counter", "gauge", "rate", "trend").
func (t Type) String() string {
	if t >= Counter && t <= Trend {
		return typeNames[t]
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// ParseType is the inverse of Type.String.
func ParseType(s string) (Type, error) {
	for t := Counter; t <= Trend; t++ {
		if typeNames[t] == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown metric type %q: want counter, gauge, rate or trend", s)
}

// ValueType says what a metric's values measure; it only changes how values
// are displayed.
type ValueType uint8

const (
	// Default values are plain numbers.
	Default ValueType = iota
	// Time values are durations in milliseconds.
	Time
	// Data values are amounts of bytes.
	Data
)

var valueTypeNames = [...]string{Default: "default", Time: "time", Data: "data"}

// String returns "default", "time" or "data".
func (v ValueType) String() string {
	if int(v) < len(valueTypeNames) {
		return valueTypeNames[v]
	}
	return fmt.Sprintf("valuetype(%d)", uint8(v))
}

// ParseValueType is the inverse of ValueType.String; "" means Default.
func ParseValueType(s string) (ValueType, error) {
	if s == "" {
		return Default, nil
	}
	for v, name := range valueTypeNames {
		if name == s {
			return ValueType(v), nil
		}
	}
	return 0, fmt.Errorf("unknown value type %q: want default, time or data", s)
}

// Metric is a registered metric definition. Metrics are created by a Registry
// and compared by pointer; a *Metric is immutable and safe to share.
type Metric struct {
	name     string
	typ      Type
	contains ValueType
}

// Name returns the metric's name, e.g. "http_req_duration".
func (m *Metric) Name() string { return m.name }

// Type returns how the metric aggregates.
func (m *Metric) Type() Type { return m.typ }

// Contains returns what the metric's values measure.
func (m *Metric) Contains() ValueType { return m.contains }

// String returns the metric's name.
func (m *Metric) String() string { return m.name }

// validName reports whether name is a legal metric name: a letter or
// underscore, then up to 127 letters, digits or underscores. Threshold keys
// (name{tag:value}) rely on names never containing braces.
func validName(name string) bool {
	if name == "" || len(name) > 128 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
