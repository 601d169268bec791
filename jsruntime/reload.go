package jsruntime

import (
	"context"
	"fmt"
	"time"

	"github.com/dop251/goja"
)

// generation is one version of a test's script while it is being hot reloaded:
// generation 1 is the program the run started with; Swap makes the next. Each VU
// moves to the newest generation at its next iteration boundary.
type generation struct {
	Program *Program
	Number  int
	Since   time.Time // when it was swapped in

	vus       int64 // live VUs running it; TestState.genMu guards it and announced
	announced bool
}

// generation returns the current generation, creating generation 1 on first use.
func (s *TestState) current() *generation {
	if g := s.gen.Load(); g != nil {
		return g
	}
	// Generation 1 is no reload: there is nothing to announce.
	s.gen.CompareAndSwap(nil, &generation{Program: s.Program, Number: 1, Since: time.Now(), announced: true})
	return s.gen.Load()
}

// Swap makes p the program every VU runs from its next iteration on, and returns
// the new generation's number. Safe from any goroutine.
func (s *TestState) Swap(p *Program) int {
	s.genMu.Lock()
	g := &generation{Program: p, Number: s.current().Number + 1, Since: time.Now()}
	s.gen.Store(g)
	live := s.takeLive() // with no live VU, every VU runs it at once
	s.genMu.Unlock()
	s.announce(live)
	return g.Number
}

// moveVU counts a live VU moving from generation from to generation to: from is
// nil for a VU starting, to nil for one ending. VUs are counted only here (NewVU,
// swap, Close), so every change of who runs what is checked: OnGenerationLive is
// called as soon as every live VU runs the current generation.
func (s *TestState) moveVU(from, to *generation) {
	s.genMu.Lock()
	if from == nil {
		s.liveVUs++
	} else {
		from.vus--
	}
	if to == nil {
		s.liveVUs--
	} else {
		to.vus++
	}
	var live *generation
	if s.liveVUs > 0 { // the last VU ending: no VU runs anything
		live = s.takeLive()
	}
	s.genMu.Unlock()
	s.announce(live)
}

// takeLive returns the current generation, marked announced, if every live VU runs
// it and it was not announced yet; nil otherwise. genMu must be held.
func (s *TestState) takeLive() *generation {
	g := s.current()
	if g.announced || g.vus < s.liveVUs {
		return nil
	}
	g.announced = true
	return g
}

// announce reports that every live VU runs generation g; nil reports nothing. It is
// called without genMu held, so OnGenerationLive may call Swap.
func (s *TestState) announce(g *generation) {
	if g != nil && s.OnGenerationLive != nil {
		s.OnGenerationLive(g.Number, time.Since(g.Since))
	}
}

// swap moves the VU to generation g at an iteration boundary: its background
// scripts of the old generation stop (by their stop mode), a new runtime evaluates
// the new program, and the old runtime is closed. The dictionary and data rows are
// the VU's and stay. vuInit runs again only if its source changed. If the new
// program fails to evaluate, the VU keeps the old one and the error is reported.
func (vu *VU) swap(ctx context.Context, g *generation) {
	oldInit := vu.funcSource(FuncVUInit)
	vu.browser.initScripts = nil
	vu.bg.stopEverything(errReloaded)
	vu.gen = g // tried once: a failed generation is not evaluated again
	if err := vu.load(ctx, g.Program); err != nil {
		vu.test.reportError(fmt.Sprintf("VU %d, generation %d", vu.Info.ID, g.Number), err)
		return
	}
	if src := vu.funcSource(FuncVUInit); src != "" && src != oldInit {
		if err := vu.Init(ctx, FuncVUInit); err != nil {
			vu.test.reportError(fmt.Sprintf("VU %d, vuInit() of generation %d", vu.Info.ID, g.Number), err)
		}
	}
	if vu.running != nil {
		vu.test.moveVU(vu.running, g)
		vu.running = g
	}
}

// funcSource is the source text of the exported function name, "" if none.
func (vu *VU) funcSource(name string) string {
	v, err := vu.main.getExport(vu.exports, name)
	if err != nil {
		return ""
	}
	if _, ok := goja.AssertFunction(v); !ok {
		return ""
	}
	return v.String()
}
