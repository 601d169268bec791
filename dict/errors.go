package dict

import (
	"fmt"
	"strings"
	"time"
)

// MissingKeyError is the error of a typed read (getString(key) and the like in
// JS) of a key that has no value in the [Store].
type MissingKeyError struct {
	Key string // the key that was read
}

// Error names the key and points at the data bindings.
func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("no value for key %q in the VU data dictionary: check options.data bindings or set it first", e.Key)
}

// ConversionError is returned when a value cannot be converted to the type a
// caller asked for, such as "abc" read as an integer.
type ConversionError struct {
	Key   string // the key the value was read from ("" when converting a bare value)
	Value any    // the value as stored
	Want  string // the wanted type: "string", "integer", "number" or "boolean"
}

// Error names the key, the value and the wanted type.
func (e *ConversionError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("cannot convert %s to %s", describe(e.Value), e.Want)
	}
	return fmt.Sprintf("key %q: cannot convert %s to %s", e.Key, describe(e.Value), e.Want)
}

// describe formats a value for an error message: short, quoted when a string,
// with its type otherwise.
func describe(v any) string {
	const maxLen = 60
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		if len(v) > maxLen {
			v = v[:maxLen] + "..."
		}
		return fmt.Sprintf("%q (string)", v)
	default:
		s := fmt.Sprintf("%v", v)
		if len(s) > maxLen {
			s = s[:maxLen] + "..."
		}
		return fmt.Sprintf("%s (%s)", s, typeName(v))
	}
}

// typeName names a value's type as a script author would.
func typeName(v any) string {
	switch v.(type) {
	case int64:
		return "integer"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// TimeoutError is returned when a wait ends because its timeout elapsed. It is
// general enough for any named thing a script waits for: a dictionary key
// (Kind "key"), a synchronisation point (Kind "synchronization point"), a
// background script, a rendezvous.
type TimeoutError struct {
	Kind   string        // what was waited for, e.g. "key"
	Name   string        // its name, e.g. the key
	Waited time.Duration // how long the caller waited
}

// Error names what was waited for and for how long.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s waiting for %s %q", e.Waited, e.Kind, e.Name)
}

// Timeout reports true, like the timeout errors of package net.
func (e *TimeoutError) Timeout() bool { return true }

// SourceError locates a problem in a data file. Line and Col are 1-based; a
// zero Col (or Line) is left out of the message.
type SourceError struct {
	File string // the file as the user named it
	Line int    // 1-based line, 0 when unknown
	Col  int    // 1-based byte column, 0 when unknown
	Msg  string // what is wrong and what to do
	Err  error  // the underlying error, if any
}

// Error formats as file:line:col: message.
func (e *SourceError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *SourceError) Unwrap() error { return e.Err }

// ExhaustedError is returned by a [Feed] when a table ran out of rows for a VU
// and the binding's policy is [StopVU] (the VU should stop) or [Abort] (the
// test should abort).
type ExhaustedError struct {
	Table     string // the binding's name in options.data
	Policy    Policy // StopVU or Abort
	VUIndex   int    // the VU's index among the VUs the table is bound to
	VU        int64  // the VU's id in the test (Feed.VU)
	Iteration int64  // the VU's iteration (0-based)
}

// Error names the table and the policy.
func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("data table %q ran out of rows for VU %d at iteration %d (onExhausted: %q)",
		e.Table, e.VU, e.Iteration, e.Policy)
}
