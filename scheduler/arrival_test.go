package scheduler

import (
	"math"
	"testing"
	"time"
)

// arrivals drains a schedule.
func arrivals(s arrivalSchedule) []time.Duration {
	var out []time.Duration
	for {
		at, ok := s.next()
		if !ok {
			return out
		}
		out = append(out, at)
	}
}

func TestArrivalSchedules(t *testing.T) {
	t.Parallel()
	sqrt := func(x float64) time.Duration { return time.Duration(math.Round(math.Sqrt(x) * float64(s))) }
	for _, tt := range []struct {
		name  string
		sched arrivalSchedule
		count int
		first []time.Duration // the first starts
		last  time.Duration
	}{
		{"constant 2000/s for 10s", &constantArrivals{rate: 2000, timeUnit: s, duration: 10 * s},
			20000, []time.Duration{0, 500 * time.Microsecond, ms}, 9999500 * time.Microsecond},
		{"constant 3/s: uneven gaps", &constantArrivals{rate: 3, timeUnit: s, duration: 2 * s},
			6, []time.Duration{0, 333333333, 666666666, s}, 1666666666},
		{"constant 1/min for 90s", &constantArrivals{rate: 1, timeUnit: time.Minute, duration: 90 * s},
			2, []time.Duration{0, time.Minute}, time.Minute},
		{"ramping 0 → 10/s over 10s", newRampingArrivals(0, []Stage{{10 * s, 10}}, s),
			49, []time.Duration{sqrt(2), 2 * s, sqrt(6)}, sqrt(98)},
		{"ramping, steady 10/s", newRampingArrivals(10, []Stage{{s, 10}}, s),
			9, []time.Duration{100 * ms, 200 * ms}, 900 * ms},
		{"ramping, rate 0", newRampingArrivals(0, []Stage{{s, 0}}, s), 0, nil, 0},
		{"ramping up, hold, down", newRampingArrivals(0, []Stage{{2 * s, 10}, {2 * s, 10}, {2 * s, 0}}, s),
			39, []time.Duration{sqrt(0.4), sqrt(0.8)}, 5367544468}, // 10x - 2.5x² = 9 in the last stage
		{"ramping, jump, per minute", newRampingArrivals(0, []Stage{{0, 60}, {2 * s, 60}}, time.Minute),
			1, []time.Duration{s}, s},
		{"ramping, 0 rate then steady", newRampingArrivals(0, []Stage{{s, 0}, {0, 4}, {s, 4}}, s),
			3, []time.Duration{1250 * ms, 1500 * ms}, 1750 * ms},
	} {
		got := arrivals(tt.sched)
		if len(got) != tt.count {
			t.Errorf("%s: %d iterations, want %d", tt.name, len(got), tt.count)
			continue
		}
		for i, want := range tt.first {
			if got[i] != want {
				t.Errorf("%s: iteration %d starts at %v, want %v", tt.name, i, got[i], want)
			}
		}
		if tt.count > 0 && got[len(got)-1] != tt.last {
			t.Errorf("%s: last iteration starts at %v, want %v", tt.name, got[len(got)-1], tt.last)
		}
		for i := 1; i < len(got); i++ {
			if got[i] < got[i-1] {
				t.Errorf("%s: iteration %d starts at %v, before iteration %d at %v", tt.name, i, got[i], i-1, got[i-1])
			}
		}
	}
}
