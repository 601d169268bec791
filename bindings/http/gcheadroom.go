package http

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// The garbage collector and responses. Each response allocates what dies with
// its iteration: the body the script keeps (a new allocation per response: it
// becomes the script's value) and about requestGarbage of the binding's own
// (the response object, its head, its timings). With Go's default GOGC the
// collector runs each time the program has allocated as much as its live
// heap, and each run marks the whole heap (the VUs' runtimes): with 100 KiB
// bodies and a heap of 10 MiB, every hundred responses, which made most of the
// CPU of a test of large bodies, and with small ones every few thousand, about
// a tenth of the CPU of a plain GET. While responses make most of what is
// allocated, the binding raises GOGC so that the heap may grow by gcHeadroom
// between collections (at most 10 times the live heap): the collector runs
// far less often, for at most gcHeadroom more memory. A heap of gcHeadroom or
// more (thousands of VUs) keeps Go's default. It puts GOGC back when the
// responses stop. A GOGC set in the environment is the user's choice and is
// left alone, and so is a process whose script makes no request (idle VUs
// keep Go's default and their small heap).
//
// The tuning runs once per collection, on the runtime's cleanup goroutine (a
// cleanup of an object that dies at each collection re-arms itself), not on
// a goroutine of the binding's.

const (
	// gcHeadroom is how much the heap may grow between collections while
	// responses make most of what is allocated.
	gcHeadroom = 64 << 20
	// requestGarbage is what a request allocates besides its body that dies
	// with it: about 2.4 KiB in BenchmarkBindingOverhead.
	requestGarbage = 2 << 10
	// maxGCPercent bounds the GOGC the tuning sets.
	maxGCPercent = 1000
)

var gcTuning struct {
	once   sync.Once
	bodies atomic.Uint64 // bytes responses allocated since the last collection (noteBody)

	mu      sync.Mutex
	base    int    // the GOGC before the tuning
	percent int    // the GOGC set last
	allocs  uint64 // /gc/heap/allocs:bytes at the last collection
}

// noteResponse counts what a response allocated that dies young: its kept
// body (keptBytes, 0 when none was kept) and requestGarbage.
func noteResponse(keptBytes int) { noteBody(keptBytes + requestGarbage) }

// noteBody counts n bytes allocated for a response, and starts the tuning at
// the first.
func noteBody(n int) {
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

// gcPercentFor is the GOGC of the next cycle: base, unless responses (bodies)
// made at least half of what the last cycle allocated; then enough for the heap of
// live bytes to grow by gcHeadroom, between base and maxGCPercent.
func gcPercentFor(base int, live, allocated, bodies uint64) int {
	if live == 0 || bodies*2 < allocated || base < 0 {
		return base
	}
	p := int(min(gcHeadroom*100/live, maxGCPercent))
	return max(p, base)
}
