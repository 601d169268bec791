package http

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	tests := []struct {
		name                    string
		base                    int
		live, allocated, bodies uint64
		want                    int
	}{
		{"no bodies", 100, 10 * mib, 50 * mib, 0, 100},
		{"bodies a third of the cycle", 100, 10 * mib, 30 * mib, 10 * mib, 100},
		{"bodies most of it: 64 MiB of headroom", 100, 16 * mib, 20 * mib, 18 * mib, 400},
		{"a small heap: at most 10x", 100, 1 * mib, 20 * mib, 18 * mib, 1000},
		{"a large heap: base", 100, 512 * mib, 600 * mib, 500 * mib, 100},
		{"a higher base stays", 800, 16 * mib, 20 * mib, 18 * mib, 800},
		{"GC off stays off", -1, 16 * mib, 20 * mib, 18 * mib, -1},
		{"no live heap known", 100, 0, 20 * mib, 18 * mib, 100},
	}
	for _, tt := range tests {
		if got := gcPercentFor(tt.base, tt.live, tt.allocated, tt.bodies); got != tt.want {
			t.Errorf("%s: gcPercentFor(%d, %d, %d, %d) = %d, want %d", tt.name, tt.base, tt.live, tt.allocated, tt.bodies, got, tt.want)
		}
	}
}

// TestGCHeadroom: cycles that allocate mostly bodies raise GOGC, cycles
// without bodies put it back, and cycles of small responses raise it again. Not parallel: it reads the process's GOGC,
// which the collections of other tests would move.
func TestGCHeadroom(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set in the environment: the tuning leaves it alone")
	}
	percent := func() (base, now int) {
		gcTuning.mu.Lock()
		defer gcTuning.mu.Unlock()
		return gcTuning.base, gcTuning.percent
	}
	// The tuning runs after each collection, on the runtime's cleanup
	// goroutine: wait for the collections to show, however slow the machine.
	deadline := time.Now().Add(30 * time.Second)
	var kept []byte
	for base, now := percent(); !(now > base && base > 0); base, now = percent() {
		kept = make([]byte, 4<<20) // a body of 4 MiB per cycle: most of what the cycle allocates
		noteBody(len(kept))
		runtime.GC()
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d after collections of bodies, want more than %d", now, base)
		}
	}
	runtime.KeepAlive(kept)
	for base, now := percent(); now != base; base, now = percent() {
		runtime.GC()
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d after collections without bodies, want %d back", now, base)
		}
	}
	// Small responses, each with its requestGarbage, raise it as well.
	for base, now := percent(); !(now > base && base > 0); base, now = percent() {
		for range 256 {
			kept = make([]byte, requestGarbage) // what a response of 100 bytes leaves behind
			noteResponse(100)
		}
		runtime.GC()
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d after collections of small responses, want more than %d", now, base)
		}
	}
	runtime.KeepAlive(kept)
}
