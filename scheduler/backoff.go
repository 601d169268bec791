package scheduler

import "time"

// A script whose iterations fail at once (a typo in an API name, a promise that
// never settles and is rejected, a --watch edit that broke the script) would make
// a closed-model VU loop tens of thousands of times a second, flooding the error
// log and burning the CPU its VU group shares. After fastFailuresBeforeBackoff
// consecutive iterations that each failed in under fastFailure, a VU waits before
// its next one, twice as long each time up to maxBackoff, until an iteration
// succeeds or takes longer. Arrival-rate groups start iterations at the rate the
// script asks for, so their VUs do not back off.
const (
	fastFailure               = time.Millisecond
	fastFailuresBeforeBackoff = 10
	maxBackoff                = time.Second
)

// backoffWarning is logged once per run, when the first VU backs off.
const backoffWarning = "iterations fail in under a millisecond again and again (see the errors): " +
	"a VU whose iterations keep failing so waits before its next one, up to 1s, until one succeeds"

// backoffDelay is how long a VU waits after its streak-th consecutive fast
// failure: nothing up to fastFailuresBeforeBackoff, then 1ms, 2ms, 4ms, ... up to
// maxBackoff.
func backoffDelay(streak int) time.Duration {
	n := streak - fastFailuresBeforeBackoff
	if n <= 0 {
		return 0
	}
	if n > 11 { // 1ms << 10 is past maxBackoff already
		return maxBackoff
	}
	return min(time.Millisecond<<(n-1), maxBackoff)
}

// failStreak counts a VU's consecutive fast failures. Its update is the only
// cost on the path of an iteration that succeeds.
type failStreak int

// next records an iteration's outcome o after it took d, and returns how long
// to wait before the next iteration.
func (s *failStreak) next(o outcome, d time.Duration) time.Duration {
	if o != failed || d >= fastFailure {
		*s = 0
		return 0
	}
	*s++
	return backoffDelay(int(*s))
}
