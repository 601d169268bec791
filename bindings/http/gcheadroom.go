package http

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// The garbage collector and large bodies. A body the script keeps is a new
// allocation per response (it becomes the script's value), and with Go's
// default GOGC the collector runs each time the program has allocated as much
// as its live heap: with 100 KiB bodies and a heap of 10 MiB, every hundred
// responses, and each run marks the whole heap (the VUs' runtimes), which made
// most of the CPU of a test of large bodies. While bodies make most of what is
// allocated, the binding raises GOGC so that the heap may grow by gcHeadroom
// between collections (at most 10 times the live heap): the collector runs
// every few hundred bodies instead, for at most gcHeadroom more memory. It
// puts GOGC back when the bodies stop. A GOGC set in the environment is the
// user's choice and is left alone, and so is a process whose script never
// keeps a large body.
//
// The tuning runs once per collection, on the runtime's cleanup goroutine (a
// cleanup of an object that dies at each collection re-arms itself), not on
// a goroutine of the binding's.

const (
	// gcHeadroom is how much the heap may grow between collections while
	// bodies make most of what is allocated.
	gcHeadroom = 64 << 20
	// minNotedBody is the smallest body counted.
	minNotedBody = 32 << 10
	// maxGCPercent bounds the GOGC the tuning sets.
	maxGCPercent = 1000
)

var gcTuning struct {
	once   sync.Once
	bodies atomic.Uint64 // bytes of bodies allocated since the last collection

	mu      sync.Mutex
	base    int    // the GOGC before the tuning
	percent int    // the GOGC set last
	allocs  uint64 // /gc/heap/allocs:bytes at the last collection
}

// noteBody counts a body of n bytes that was allocated to be kept, and starts
// the tuning at the first large one.
func noteBody(n int) {
	if n < minNotedBody {
		return
	}
	gcTuning.bodies.Add(uint64(n))
	gcTuning.once.Do(startGCTuning)
}

func startGCTuning() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	gcTuning.mu.Lock()
	gcTuning.base = debug.SetGCPercent(100)
	debug.SetGCPercent(gcTuning.base)
	gcTuning.percent = gcTuning.base
	gcTuning.mu.Unlock()
	armGCTuning()
}

// gcSentinel is the object whose death marks a collection.
type gcSentinel struct{ _ *int }

func armGCTuning() {
	runtime.AddCleanup(&gcSentinel{}, func(struct{}) {
		tuneGC()
		armGCTuning()
	}, struct{}{})
}

// tuneGC sets GOGC for the next cycle from the one that just ended.
func tuneGC() {
	s := [2]metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s[:])
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return
	}
	gcTuning.mu.Lock()
	defer gcTuning.mu.Unlock()
	allocs := s[1].Value.Uint64()
	cycle := allocs - gcTuning.allocs
	gcTuning.allocs = allocs
	p := gcPercentFor(gcTuning.base, s[0].Value.Uint64(), cycle, gcTuning.bodies.Swap(0))
	if p != gcTuning.percent {
		debug.SetGCPercent(p)
		gcTuning.percent = p
	}
}

// gcPercentFor is the GOGC of the next cycle: base, unless bodies made at
// least half of what the last cycle allocated; then enough for the heap of
// live bytes to grow by gcHeadroom, between base and maxGCPercent.
func gcPercentFor(base int, live, allocated, bodies uint64) int {
	if live == 0 || bodies*2 < allocated || base < 0 {
		return base
	}
	p := int(min(gcHeadroom*100/live, maxGCPercent))
	return max(p, base)
}
