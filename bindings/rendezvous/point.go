// Package rendezvous holds rendezvous points (SPEC §2.5): test-wide barriers where
// VUs wait until enough of them have arrived, then leave together.
//
// A Point is plain goroutine-safe Go; binding.go makes it the `rendezvous`
// function of the VU API. A point passes through waves:
//
//	state    event                                 next
//	idle     a VU arrives                          open (timers armed)
//	open     a VU arrives, condition met           idle (wave released: "count")
//	open     timeout or interArrivalTimeout fires  idle (wave released: "timeout")
//	open     running VUs change, condition met     idle (wave released: "count"; percent only)
//	open     a waiting VU's context ends           open, one VU fewer; idle when none is left
//
// Every VU of a wave is released at once, by closing one channel; the next VU to
// arrive opens a new wave. Nothing polls except, in percent mode and only while
// VUs wait, a recheck of the number of running VUs every RecheckInterval.
package rendezvous

import (
	"context"
	"errors"
	"sync"
	"time"
)

// RecheckInterval is how often an open wave in percent mode re-reads the number
// of running VUs, so a wave is released when VUs stop (ramp-down) even if no other
// VU arrives.
const RecheckInterval = 25 * time.Millisecond

// Release says why a wave was released.
type Release string

// The reasons a wave is released, as scripts see them in `released`.
const (
	// ReleasedCount: the count or percent condition was met.
	ReleasedCount Release = "count"
	// ReleasedTimeout: timeout or interArrivalTimeout elapsed first.
	ReleasedTimeout Release = "timeout"
)

// Result is what one VU learns as it leaves a rendezvous.
type Result struct {
	Released Release       // why the wave was released
	Arrived  int64         // how many VUs the wave released together, this one included
	Waited   time.Duration // how long this VU waited
}

// ErrUnknownRunning is returned by Arrive in percent mode when the number of
// running VUs is not known (reported as 0) and no timeout could release the wave:
// waiting would be waiting forever.
var ErrUnknownRunning = errors.New("percent needs the number of running VUs, which is not known here (0 reported): use count, or add a timeout")

// Point is one rendezvous point. Safe for concurrent use by any number of VUs.
// Its options change only through Points.Get; a wave keeps the options the point
// had when the wave opened.
type Point struct {
	mu   sync.Mutex
	opts Options // for the next wave
	wave *wave   // the open wave; nil while nobody waits
}

// wave is one group of VUs waiting at a point. released and arrived are final
// once done is closed (a released wave is no longer the point's, so nobody
// changes them), and are read after done without the lock.
type wave struct {
	done     chan struct{} // closed when the wave is released
	opts     Options       // the point's options when the wave opened
	arrived  int64         // VUs waiting now; at release, the VUs released
	last     time.Time     // latest arrival, for interArrivalTimeout
	running  func() int64  // the latest arrival's count of running VUs (percent only)
	released Release
	timers   []*time.Timer // timeout, interArrivalTimeout and recheck; stopped at release
	inter    *time.Timer   // the interArrivalTimeout timer, reset at each arrival
}

// NewPoint returns a point with options o, or o's validation error.
func NewPoint(o Options) (*Point, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Point{opts: o}, nil
}

// Waiting returns the number of VUs waiting at the point now.
func (p *Point) Waiting() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wave == nil {
		return 0
	}
	return p.wave.arrived
}

// Arrive adds the caller to the open wave and blocks until the wave is released
// or ctx ends. running reports the VUs running now (in the test or the options'
// group); it is used in percent mode only, may be nil with Count, and must be safe
// to call from any goroutine (the recheck timer calls it).
//
// When ctx ends first the caller leaves the wave (which shrinks; an emptied wave
// is closed and its timers stopped) and Arrive returns context.Cause(ctx), with
// Waited set. A wave released at the same moment may still count the caller.
func (p *Point) Arrive(ctx context.Context, running func() int64) (Result, error) {
	if ctx.Err() != nil {
		return Result{}, context.Cause(ctx) // a stopped VU does not complete a wave
	}
	begin := time.Now()
	p.mu.Lock()
	w := p.wave
	if w == nil {
		w = p.openLocked()
	}
	w.arrived++
	w.last = begin
	if running != nil {
		w.running = running
	}
	if w.inter != nil {
		w.inter.Reset(w.opts.InterArrivalTimeout)
	}
	need := p.needLocked(w)
	if need == 0 && !w.opts.hasTimeout() {
		p.leaveLocked(w)
		p.mu.Unlock()
		return Result{}, ErrUnknownRunning
	}
	if need > 0 && w.arrived >= need {
		p.releaseLocked(w, ReleasedCount)
		p.mu.Unlock()
		return Result{Released: ReleasedCount, Arrived: w.arrived, Waited: time.Since(begin)}, nil
	}
	p.mu.Unlock()

	select {
	case <-w.done:
		return Result{Released: w.released, Arrived: w.arrived, Waited: time.Since(begin)}, nil
	case <-ctx.Done():
	}
	p.mu.Lock()
	if p.wave == w {
		p.leaveLocked(w)
	}
	p.mu.Unlock()
	return Result{Waited: time.Since(begin)}, context.Cause(ctx)
}

// openLocked starts a wave and arms its timers.
func (p *Point) openLocked() *wave {
	w := &wave{done: make(chan struct{}), opts: p.opts}
	if d := w.opts.Timeout; d > 0 {
		w.timers = append(w.timers, time.AfterFunc(d, func() { p.expire(w, 0) }))
	}
	if d := w.opts.InterArrivalTimeout; d > 0 {
		w.inter = time.AfterFunc(d, func() { p.expire(w, d) })
		w.timers = append(w.timers, w.inter)
	}
	if w.opts.Percent > 0 {
		// The callback reads t only after recheck has taken p.mu, which the
		// caller of openLocked holds until t is assigned.
		var t *time.Timer
		t = time.AfterFunc(RecheckInterval, func() {
			if p.recheck(w) {
				t.Reset(RecheckInterval)
			}
		})
		w.timers = append(w.timers, t)
	}
	p.wave = w
	return w
}

// needLocked is the number of arrivals that releases w now; 0 when unknown.
func (p *Point) needLocked(w *wave) int64 {
	var running int64
	if w.opts.Percent > 0 && w.running != nil {
		running = w.running()
	}
	return w.opts.need(running)
}

// releaseLocked releases every VU of w at once and closes the wave.
func (p *Point) releaseLocked(w *wave, why Release) {
	w.released = why
	p.closeLocked(w)
	close(w.done)
}

// leaveLocked takes one VU out of the open wave w; the last one out closes it.
func (p *Point) leaveLocked(w *wave) {
	w.arrived--
	if w.arrived == 0 {
		p.closeLocked(w)
	}
}

// closeLocked stops w's timers and makes the next arrival open a new wave.
func (p *Point) closeLocked(w *wave) {
	for _, t := range w.timers {
		t.Stop()
	}
	p.wave = nil
}

// expire runs when a timeout of w fires: it releases w if w is still open. For
// interArrivalTimeout (idle > 0) a VU that arrived while the timer was firing
// keeps the wave open; its Reset has scheduled the timer again.
func (p *Point) expire(w *wave, idle time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wave != w || (idle > 0 && time.Since(w.last) < idle) {
		return
	}
	p.releaseLocked(w, ReleasedTimeout)
}

// recheck re-evaluates a percent condition against the VUs running now and
// releases w if it is met; it reports whether w is still open.
func (p *Point) recheck(w *wave) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wave != w {
		return false
	}
	if need := p.needLocked(w); need > 0 && w.arrived >= need {
		p.releaseLocked(w, ReleasedCount)
		return false
	}
	return true
}

// errEmptyName is the error of a rendezvous without a name.
var errEmptyName = errors.New("the rendezvous name is empty: give each rendezvous point a name, e.g. rendezvous('checkout', { count: 10 })")

// Points is a set of named points, one per name for the whole test. Safe for
// concurrent use; the zero value is ready.
type Points struct {
	mu     sync.RWMutex
	points map[string]*Point
}

// Get returns the point called name, creating it with o on first use. When o
// differs from the point's options, o is the point's from the next wave on: under
// hot reload the points outlive the script, and a new generation may change them
// (two call sites that disagree are not caught). A wave already open keeps its
// options, and VUs arriving with other ones join it: were they refused, or made
// to wait for the next wave, the VUs of the old generation waiting in it might
// never be released.
func (ps *Points) Get(name string, o Options) (*Point, error) {
	if name == "" {
		return nil, errEmptyName
	}
	ps.mu.RLock()
	p := ps.points[name]
	ps.mu.RUnlock()
	if p == nil {
		ps.mu.Lock()
		if p = ps.points[name]; p == nil {
			var err error
			if p, err = NewPoint(o); err != nil {
				ps.mu.Unlock()
				return nil, err
			}
			if ps.points == nil {
				ps.points = map[string]*Point{}
			}
			ps.points[name] = p
		}
		ps.mu.Unlock()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.opts != o {
		if err := o.Validate(); err != nil {
			return nil, err
		}
		p.opts = o
	}
	return p, nil
}
