package jsruntime

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

// Generation is one version of a test's script while it is being hot reloaded:
// generation 1 is the program the run started with; Swap makes the next. Each VU
// moves to the newest generation at its next iteration boundary.
type Generation struct {
	Program *Program
	Number  int
	Since   time.Time // when it was swapped in

	swapped   atomic.Int64 // VUs running it
	announced atomic.Bool
}

// generation returns the current generation, creating generation 1 on first use.
func (s *Shared) generation() *Generation {
	if g := s.gen.Load(); g != nil {
		return g
	}
	s.gen.CompareAndSwap(nil, &Generation{Program: s.Program, Number: 1, Since: time.Now()})
	return s.gen.Load()
}

// Swap makes p the program every VU runs from its next iteration on, and returns
// the new generation's number. Safe from any goroutine.
func (s *Shared) Swap(p *Program) int {
	for {
		old := s.generation()
		g := &Generation{Program: p, Number: old.Number + 1, Since: time.Now()}
		if s.gen.CompareAndSwap(old, g) {
			if s.liveVUs.Load() == 0 {
				s.announce(g)
			}
			return g.Number
		}
	}
}

// announce reports, once, that every live VU runs generation g.
func (s *Shared) announce(g *Generation) {
	if g.announced.CompareAndSwap(false, true) && s.OnGenerationLive != nil {
		s.OnGenerationLive(g.Number, time.Since(g.Since))
	}
}

// swap moves the VU to generation g at an iteration boundary: its background
// scripts of the old generation stop (by their stop mode), a new runtime evaluates
// the new program, and the old runtime is closed. The dictionary and data rows are
// the VU's and stay. vuInit runs again only if its source changed. If the new
// program fails to evaluate, the VU keeps the old one and the error is reported.
func (vu *VU) swap(ctx context.Context, g *Generation) {
	oldInit := vu.funcSource(FuncVUInit)
	vu.StopBackground()
	r := newRuntime(vu, g.Program, "", vu.Dict)
	r.bind(ctx)
	exports, err := r.evaluate(g.Program.Main)
	var data goja.Value = goja.Undefined()
	if err == nil && vu.shared.SetupData != nil {
		data, err = r.rt.RunString("(" + string(vu.shared.SetupData) + ")")
	}
	vu.gen = g
	if err != nil {
		r.close()
		vu.shared.reportError(fmt.Sprintf("VU %d, generation %d", vu.Info.ID, g.Number), err)
		return
	}
	old := vu.main
	vu.main, vu.exports, vu.data, vu.prog, vu.funcs = r, exports, data, g.Program, nil
	old.close()
	if src := vu.funcSource(FuncVUInit); src != "" && src != oldInit {
		if err := vu.Run(ctx, FuncVUInit); err != nil {
			vu.shared.reportError(fmt.Sprintf("VU %d, vuInit() of generation %d", vu.Info.ID, g.Number), err)
		}
	}
	if g.swapped.Add(1) >= vu.shared.liveVUs.Load() {
		vu.shared.announce(g)
	}
}

// funcSource is the source text of the exported function name, "" if none.
func (vu *VU) funcSource(name string) string {
	fn := vu.Func(name)
	if fn == nil {
		return ""
	}
	v, err := vu.main.getExport(vu.exports, name)
	if err != nil {
		return ""
	}
	return v.String()
}
