package rendezvous

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Options are the release conditions of a rendezvous point. Exactly one of Count
// and Percent is set; the timeouts are optional (0 means none).
type Options struct {
	// Count releases the wave when this many VUs have arrived.
	Count int64
	// Percent releases the wave when at least this percentage (0 < Percent ≤ 100)
	// of the VUs running now, in the test or in Group, have arrived.
	Percent float64
	// Group restricts Percent to the VUs running in one group ("" for the whole
	// test). It has no meaning with Count.
	Group string
	// Timeout releases whoever is waiting when it has elapsed since the first VU
	// of the wave arrived.
	Timeout time.Duration
	// InterArrivalTimeout releases whoever is waiting when no new VU has arrived
	// for that long.
	InterArrivalTimeout time.Duration
}

// The hints that end the errors of count and percent.
const (
	countHint   = "give the number of VUs to wait for, 1 or more, e.g. { count: 10 }"
	percentHint = "give a percentage of running VUs above 0 and at most 100, e.g. { percent: 50 }"
)

// Validate reports the first thing wrong with o, saying what to write instead.
func (o Options) Validate() error {
	switch {
	case o.Count != 0 && o.Percent != 0:
		return errors.New("both count and percent are given: give one release condition, e.g. { count: 10 } or { percent: 50 }")
	case o.Count < 0:
		return fmt.Errorf("count %d is negative: %s", o.Count, countHint)
	case o.Percent < 0 || o.Percent > 100 || math.IsNaN(o.Percent):
		return fmt.Errorf("percent %v is out of range: %s", o.Percent, percentHint)
	case o.Count == 0 && o.Percent == 0:
		return errors.New("no release condition: give count (a number of VUs) or percent (of the running VUs), e.g. { count: 10 }")
	case o.Group != "" && o.Percent == 0:
		return errors.New("group only applies to percent: remove group, or use { percent: P, group: 'name' }")
	case o.Timeout < 0:
		return fmt.Errorf("timeout %s is negative: give a duration such as '5s', or leave it out to wait without limit", o.Timeout)
	case o.InterArrivalTimeout < 0:
		return fmt.Errorf("interArrivalTimeout %s is negative: give a duration such as '2s', or leave it out", o.InterArrivalTimeout)
	}
	return nil
}

// String writes o as a script would, e.g. "{ count: 10, timeout: '5s' }".
func (o Options) String() string {
	var parts []string
	if o.Count != 0 {
		parts = append(parts, fmt.Sprintf("count: %d", o.Count))
	}
	if o.Percent != 0 {
		parts = append(parts, fmt.Sprintf("percent: %v", o.Percent))
	}
	if o.Group != "" {
		parts = append(parts, fmt.Sprintf("group: '%s'", o.Group))
	}
	if o.Timeout != 0 {
		parts = append(parts, fmt.Sprintf("timeout: '%s'", o.Timeout))
	}
	if o.InterArrivalTimeout != 0 {
		parts = append(parts, fmt.Sprintf("interArrivalTimeout: '%s'", o.InterArrivalTimeout))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// hasTimeout reports whether some timeout can release a wave.
func (o Options) hasTimeout() bool { return o.Timeout > 0 || o.InterArrivalTimeout > 0 }

// need is the number of arrivals that releases a wave when running VUs are
// running now; 0 means the count is unknown (percent mode while nothing reports
// running VUs), so only a timeout can release the wave.
func (o Options) need(running int64) int64 {
	if o.Count > 0 {
		return o.Count
	}
	if running <= 0 {
		return 0
	}
	// The small epsilon keeps 50% of 10 at 5, not 6, despite float rounding.
	n := int64(math.Ceil(o.Percent*float64(running)/100 - 1e-9))
	return max(n, 1)
}
