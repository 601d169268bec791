package http_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/jsload/jsload/bindings/http/internal/faults"
)

// TestBodyLimitMemory reads a gzip bomb far above its limit (256 MiB inflated,
// 1 MiB allowed): the request fails without the process allocating more than
// a few times the limit. Not parallel: it reads the process's allocation
// counter, which the other tests would move.
func TestBodyLimitMemory(t *testing.T) {
	target := faults.Start(t, faults.Config{})
	vu, _ := newVU(t, "limits.js", map[string]string{"FAULTS": target.URL("")})
	if err := vu.Run(context.Background(), "warm"); err != nil { // compiles, connects, fills the pools
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := vu.Run(context.Background(), "bomb")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Error(err)
	}
	const bound = 32 << 20
	if got := after.TotalAlloc - before.TotalAlloc; got > bound {
		t.Errorf("a 256 MiB gzip bomb with a 1 MiB limit allocated %d MiB, want under %d MiB", got>>20, bound>>20)
	}
	if n := target.Accepted.Load(); n != 2 {
		t.Errorf("%d connections, want 2: the one of the bomb is dropped, the next request has a new one", n)
	}
}
