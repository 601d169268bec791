package scheduler

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time span written in options as "30s", "1m30s", "250ms", "2h" or as a
// number of milliseconds.
type Duration time.Duration

// ParseDuration parses a duration as written on the command line or in options:
// a Go duration with units ("1m30s"). A bare number is refused so that "-d 30" cannot
// silently mean 30 ns or 30 ms.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		if _, nerr := strconv.ParseFloat(s, 64); nerr == nil {
			return 0, fmt.Errorf("invalid duration %q: add a unit, e.g. %ss or %sms", s, s, s)
		}
		return 0, fmt.Errorf("invalid duration %q: write a number with a unit, e.g. 30s, 1m30s, 500ms, 2h", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: it must not be negative", s)
	}
	return d, nil
}

// UnmarshalJSON accepts a duration string or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var ms float64
	if err := json.Unmarshal(b, &ms); err == nil {
		if ms < 0 {
			return fmt.Errorf("invalid duration %s: it must not be negative", b)
		}
		*d = Duration(ms * float64(time.Millisecond))
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("invalid duration %s: write a string such as \"30s\" or a number of milliseconds", b)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// String formats the duration compactly ("1m30s", "500ms").
func (d Duration) String() string { return FormatDuration(time.Duration(d)) }

// FormatDuration prints d without trailing zero units: 1m30s, 2m, 250ms.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
