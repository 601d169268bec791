package jsruntime_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

// loadVersion writes main.js and lib.js in dir and loads them.
func loadVersion(t *testing.T, dir, main, lib string) *jsruntime.Program {
	t.Helper()
	for name, src := range map[string]string{"main.js": main, "lib.js": lib} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return jstest.Load(t, filepath.Join(dir, "main.js"))
}

const reloadMain = `import { version } from './lib.js';
export function vuInit() { setInteger('inits', getInteger('inits', 0) + 1); }
export default function () {
  setInteger('count', getInteger('count', 0) + 1);
  setString('version', version + ' ' + marker);
  if (!hasKey('poller')) { setString('poller', 'made'); createBackgroundScript('poll', { exec: 'poll' }, { loop: true, pause: '5ms', stop: 'never' }); }
}
export function poll() { setString('pollerGen', marker); }
const marker = 'MARK';
`

// TestSwapAtIterationBoundary swaps a new generation into a VU: the next iteration
// runs the new code, the dictionary is kept, old background scripts stop, and
// vuInit runs again only when it changed.
func TestSwapAtIterationBoundary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p1 := loadVersion(t, dir, strings.Replace(reloadMain, "MARK", "g1", 1), "export const version = 'lib1';\n")
	var live []int
	tt := jstest.NewProgram(p1)
	s := tt.State
	s.OnGenerationLive = func(g int, _ time.Duration) { live = append(live, g) }
	vu := tt.NewVU(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	get := func(key string) string {
		t.Helper()
		raw, _ := vu.Dict.Get(key)
		v, err := dict.ConvertString(key, raw)
		must(err)
		return v
	}
	must(vu.Run(ctx, jsruntime.FuncVUInit))
	must(vu.Iterate(ctx, jsruntime.FuncDefault, 0, 0))
	if got := get("version"); got != "lib1 g1" {
		t.Fatalf("generation 1 wrote %q", got)
	}

	// Generation 2 changes the library and the marker, not vuInit.
	p2 := loadVersion(t, dir, strings.Replace(reloadMain, "MARK", "g2", 1), "export const version = 'lib2';\n")
	if n := s.Swap(p2); n != 2 {
		t.Fatalf("Swap = generation %d, want 2", n)
	}
	must(vu.Iterate(ctx, jsruntime.FuncDefault, 1, 1))
	if got := get("version"); got != "lib2 g2" {
		t.Errorf("after the swap the iteration wrote %q, want %q", got, "lib2 g2")
	}
	if got := get("count"); got != "2" {
		t.Errorf("count = %s after 2 iterations: the dictionary was not kept", got)
	}
	if got := get("inits"); got != "1" {
		t.Errorf("vuInit ran %s times, want 1 (it did not change)", got)
	}
	if st, _ := jsruntime.BackgroundStatus(vu, "poll"); st != "completed" {
		t.Errorf("old generation's poller: %s, want completed (stopped by request at the swap)", st)
	}
	if len(live) != 1 || live[0] != 2 {
		t.Errorf("OnGenerationLive calls %v, want [2]", live)
	}

	// Generation 3 changes vuInit: it runs again.
	p3 := loadVersion(t, dir, strings.Replace(strings.Replace(reloadMain, "MARK", "g3", 1), "+ 1); }", "+ 10); }", 1), "export const version = 'lib3';\n")
	s.Swap(p3)
	must(vu.Iterate(ctx, jsruntime.FuncDefault, 2, 2))
	if got := get("inits"); got != "11" {
		t.Errorf("inits = %s, want 11: a changed vuInit must run again", got)
	}
}

// TestSwapKeepsOldOnFailure: a generation whose top level throws leaves the VU on
// the old code.
func TestSwapKeepsOldOnFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p1 := loadVersion(t, dir, "export default function () { setString('v', 'old'); }\n", "")
	var reported []string
	tt := jstest.NewProgram(p1)
	s := tt.State
	s.OnError = func(what string, err error) { reported = append(reported, what+": "+err.Error()) }
	vu := tt.NewVU(t)
	p2 := loadVersion(t, dir, "throw new Error('top-level boom');\nexport default function () {}\n", "")
	s.Swap(p2)
	if err := vu.Iterate(context.Background(), jsruntime.FuncDefault, 0, 0); err != nil {
		t.Fatal(err)
	}
	if v, _ := vu.Dict.Get("v"); v != "old" {
		t.Errorf("v = %v, want the old generation to keep running", v)
	}
	if len(reported) != 1 || !strings.Contains(reported[0], "top-level boom at") {
		t.Errorf("reported %q, want the top-level error once", reported)
	}
}

// TestGenerationLive checks when OnGenerationLive announces generation 2: as soon
// as every live VU runs it, whichever VU started, swapped or ended last, and once.
func TestGenerationLive(t *testing.T) {
	t.Parallel()
	p := jstest.Load(t, "testdata/empty.js")
	tests := []struct {
		name  string
		steps []string // "new A", "iterate A" (swaps A), "close A", "swap"
		want  []int    // after each step, the generation announced so far (0: none)
	}{
		{"every VU swaps", []string{"new A", "new B", "swap", "iterate A", "iterate B"}, []int{0, 0, 0, 0, 2}},
		{"the last VU on the old generation ends", []string{"new A", "new B", "swap", "iterate A", "close B", "new C"}, []int{0, 0, 0, 0, 2, 2}},
		{"a VU starts after the old ones ended", []string{"new A", "swap", "close A", "new B"}, []int{0, 0, 0, 2}},
		{"a VU starts while an old one runs", []string{"new A", "swap", "new B", "iterate A"}, []int{0, 0, 0, 2}},
		{"no live VU at the swap", []string{"swap", "new A"}, []int{2, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var live []int
			jt := jstest.NewProgram(p)
			s := jt.State
			s.OnGenerationLive = func(g int, _ time.Duration) { live = append(live, g) }
			vus := map[string]*jsruntime.VU{}
			for i, step := range tc.steps {
				verb, name, _ := strings.Cut(step, " ")
				switch verb {
				case "new":
					vus[name] = jt.NewVU(t)
				case "iterate":
					if err := vus[name].Iterate(context.Background(), jsruntime.FuncDefault, 0, 0); err != nil {
						t.Fatal(err)
					}
				case "close":
					vus[name].Close()
				case "swap":
					s.Swap(p)
				}
				var want []int
				if tc.want[i] != 0 {
					want = []int{tc.want[i]}
				}
				if !slices.Equal(live, want) {
					t.Fatalf("after %q: OnGenerationLive calls %v, want %v", strings.Join(tc.steps[:i+1], ", "), live, want)
				}
			}
		})
	}
}
