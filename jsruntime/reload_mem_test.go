package jsruntime_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

// bigScript is a script of about kb kilobytes: many small functions, the shape of a
// large recorded script; marker changes it between generations.
func bigScript(kb int, marker string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "export function poll() { setString('gen', %q); }\n", marker)
	fmt.Fprintf(&b, "export default function () {\n  if (!hasKey('p')) { setString('p', '1'); createBackgroundScript('poll', { exec: 'poll' }, { loop: true, pause: '1ms', stopMode: 'immediate' }); }\n  step0();\n}\n")
	for i := 0; b.Len() < kb*1024; i++ {
		fmt.Fprintf(&b, "export function step%d() { const page = { id: %d, name: 'page %d', items: [1, 2, 3] }; return page.items.length + %q.length; }\n", i, i, i, marker)
	}
	return b.String()
}

// TestReloadsDoNotLeak swaps 100 generations of a 50 KB script into a VU that runs
// a background script; the heap after 100 reloads stays within 10 % of the heap
// after the first few (goleak in TestMain checks the goroutines).
func TestReloadsDoNotLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("100 reloads")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "big.js")
	load := func(gen int) *jsruntime.Program {
		if err := os.WriteFile(path, []byte(bigScript(50, fmt.Sprint("g", gen))), 0o644); err != nil {
			t.Fatal(err)
		}
		return jstest.Load(t, path)
	}
	tt := jstest.NewProgram(load(0))
	s := tt.State
	vu := tt.NewVU(t)
	ctx := context.Background()
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	// The first reloads fill esbuild's and goja's caches (measured: +0.5 MB by
	// reload 50, then flat up to reload 300), so the baseline is taken after them.
	const warmup = 10
	var afterOne uint64
	for gen := 1; gen <= 100; gen++ {
		s.Swap(load(gen))
		if err := vu.Iterate(ctx, jsruntime.FuncDefault, int64(gen), int64(gen)); err != nil {
			t.Fatal(err)
		}
		if gen == warmup {
			afterOne = heap()
		}
	}
	after := heap()
	if float64(after) > 1.1*float64(afterOne) {
		t.Errorf("heap after 1 reload %d B, after 100 reloads %d B (+%.0f%%): generations are kept alive",
			afterOne, after, 100*(float64(after)/float64(afterOne)-1))
	}
	t.Logf("heap after 10 reloads %d KiB, after 100 reloads %d KiB", afterOne/1024, after/1024)
}

// BenchmarkReload50KB measures a hot reload of a 50 KB script: compile, swap, and the
// VU's first iteration on the new generation (its runtime rebuilt).
func BenchmarkReload50KB(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "big.js")
	if err := os.WriteFile(path, []byte(bigScript(50, "g0")), 0o644); err != nil {
		b.Fatal(err)
	}
	tt := jstest.NewProgram(jstest.Load(b, path))
	vu := tt.NewVU(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		b.StopTimer()
		if err := os.WriteFile(path, []byte(bigScript(50, fmt.Sprint("g", i))), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p, err := jsruntime.Load(path, jsruntime.BuiltinModules())
		if err != nil {
			b.Fatal(err)
		}
		tt.State.Swap(p)
		if err := vu.Iterate(ctx, jsruntime.FuncDefault, int64(i), int64(i)); err != nil {
			b.Fatal(err)
		}
	}
}
