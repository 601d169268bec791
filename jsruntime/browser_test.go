package jsruntime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

const browserMain = `export function vuInit() { createBackgroundScript('NAME', { exec: 'tick' }, { loop: true, pause: '1ms' }); }
export function tick() { setInteger('ticks', getInteger('ticks', 0) + 1); }
export default function () {}
`

// TestBrowserAfterReload: a hot reload that changes vuInit runs it again at the
// VU's next iteration; with a new browser each iteration, the scripts it
// creates belong to that iteration's browser and end with it.
func TestBrowserAfterReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tt := jstest.NewProgram(loadVersion(t, dir, strings.Replace(browserMain, "NAME", "first", 1), ""))
	vu := tt.NewVU(t)
	ctx := context.Background()
	status := func(id, want string) {
		t.Helper()
		st, err := jsruntime.BackgroundStatus(vu, id)
		must(t, err)
		if st != want {
			t.Errorf("%s is %s, want %s", id, st, want)
		}
	}
	must(t, vu.Init(ctx, jsruntime.FuncVUInit))
	must(t, vu.Iterate(ctx, jsruntime.FuncDefault, 0, 0))
	status("first", "running")
	vu.EndBrowser(bindings.BrowserReset{})
	status("first", "completed")

	tt.State.Swap(loadVersion(t, dir, strings.Replace(browserMain, "NAME", "second", 1), ""))
	must(t, vu.Iterate(ctx, jsruntime.FuncDefault, 1, 1)) // the swap runs the new vuInit
	status("second", "running")
	vu.EndBrowser(bindings.BrowserReset{})
	status("second", "completed")
}
