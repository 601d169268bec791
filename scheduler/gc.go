package scheduler

import (
	"runtime/debug"
	"sync"
)

// initGCPercent is the garbage collector's target while VUs are initialised.
// Initialising thousands of VUs allocates a heap that is almost all kept (the
// runtimes), so collecting at every doubling mostly re-scans live VUs; a higher
// target cuts the initialisation of 5,000 VUs by about a quarter for little more
// memory, since little of what is allocated is garbage.
const initGCPercent = 400

// gcBoost counts the initialisations under way in the process (tests run several
// at once): the first raises the target, the last restores the user's.
var gcBoost struct {
	mu  sync.Mutex
	n   int
	old int
}

// boostGC raises the GC target for an initialisation, unless the user's GOGC is
// already higher or off, and returns the function that ends the boost.
func boostGC() (restore func()) {
	gcBoost.mu.Lock()
	defer gcBoost.mu.Unlock()
	gcBoost.n++
	if gcBoost.n == 1 {
		gcBoost.old = debug.SetGCPercent(initGCPercent)
		if gcBoost.old < 0 || gcBoost.old >= initGCPercent {
			debug.SetGCPercent(gcBoost.old)
		}
	}
	return sync.OnceFunc(func() {
		gcBoost.mu.Lock()
		defer gcBoost.mu.Unlock()
		gcBoost.n--
		if gcBoost.n == 0 {
			debug.SetGCPercent(gcBoost.old)
		}
	})
}
