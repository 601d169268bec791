package memguard

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The guard's thresholds, as fractions of the limit.
const (
	// SoftFraction of the limit is Go's soft memory limit while a guard runs.
	SoftFraction = 0.80
	// TripFraction of the limit in use trips the guard.
	TripFraction = 0.90
)

// DefaultInterval is how often a guard samples the memory in use, besides
// after every garbage collection.
const DefaultInterval = 50 * time.Millisecond

// ExceededError is what a guard reports when the process came near its limit.
type ExceededError struct {
	Limit Limit
	Used  uint64 // bytes in use when the guard tripped
}

// Error implements error.
func (e *ExceededError) Error() string {
	return fmt.Sprintf("memory limit reached: jsload holds %s, %.0f%% of its limit of %s: test aborted to keep its results; "+
		"raise --max-memory, run fewer VUs, or keep less in the scripts (large arrays or strings, response bodies)",
		FormatBytes(e.Used), 100*float64(e.Used)/float64(e.Limit.Bytes), e.Limit)
}

// Config says what a guard watches and whom it tells.
type Config struct {
	Limit Limit
	// OnExceed is called once, on the guard's goroutine, when the memory in
	// use reaches TripFraction of the limit. It should stop the work holding
	// the memory (e.g. abort the test) and return.
	OnExceed func(*ExceededError)
	// Interval between samples; 0 means DefaultInterval.
	Interval time.Duration
	// read returns the memory in use (tests set it; nil reads runtime/metrics).
	read func() uint64
}

// Guard watches the process's memory on a goroutine of its own until Stop.
type Guard struct {
	cfg   Config
	trip  uint64
	gc    chan struct{} // a garbage collection ended
	done  chan struct{}
	ended chan struct{}
	once  sync.Once
	soft  *softLimit
}

// Start starts a guard and sets Go's soft memory limit to SoftFraction of the
// limit (or leaves a lower one, e.g. from GOMEMLIMIT, in place) until Stop.
func Start(cfg Config) *Guard {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.read == nil {
		cfg.read = inUse
	}
	g := &Guard{cfg: cfg, trip: uint64(float64(cfg.Limit.Bytes) * TripFraction),
		gc: make(chan struct{}, 1), done: make(chan struct{}), ended: make(chan struct{})}
	g.soft = setSoftLimit(int64(min(float64(cfg.Limit.Bytes)*SoftFraction, math.MaxInt64)))
	armGCNotice(g.gc, g.done)
	go g.loop()
	return g
}

func (g *Guard) loop() {
	defer close(g.ended)
	tick := time.NewTicker(g.cfg.Interval)
	defer tick.Stop()
	for {
		select {
		case <-g.done:
			return
		case <-tick.C:
		case <-g.gc:
		}
		if used := g.cfg.read(); used >= g.trip {
			if g.cfg.OnExceed != nil {
				g.cfg.OnExceed(&ExceededError{Limit: g.cfg.Limit, Used: used})
			}
			return // once: what follows is the end of the run
		}
	}
}

// Stop stops the guard, waits for its goroutine and puts Go's soft memory
// limit back. It is idempotent.
func (g *Guard) Stop() {
	g.once.Do(func() {
		close(g.done)
		<-g.ended
		g.soft.release()
	})
}

// inUse is the memory Go's runtime has mapped and not given back to the
// system: what Go's memory limit is about.
func inUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// gcSentinel is the object whose cleanup tells of a garbage collection. It
// holds a pointer so that it is not a tiny allocation (whose cleanups may
// never run).
type gcSentinel struct{ _ *byte }

// armGCNotice sends on gc (without blocking) after the next garbage
// collection, and again after each one, until done is closed.
func armGCNotice(gc chan<- struct{}, done <-chan struct{}) {
	runtime.AddCleanup(new(gcSentinel), func(struct{}) {
		select {
		case <-done:
			return
		default:
		}
		select {
		case gc <- struct{}{}:
		default:
		}
		armGCNotice(gc, done)
	}, struct{}{})
}

// softLimit is Go's soft memory limit as guards set it: process-wide, so
// guards running at once (tests run several runs in one process) share it:
// the lowest of theirs applies, and the value from before the first is put
// back when the last stops.
type softLimit struct{ bytes int64 }

var soft struct {
	mu     sync.Mutex
	before int64
	active []*softLimit
}

func setSoftLimit(bytes int64) *softLimit {
	soft.mu.Lock()
	defer soft.mu.Unlock()
	if len(soft.active) == 0 {
		soft.before = debug.SetMemoryLimit(-1)
	}
	l := &softLimit{bytes: bytes}
	soft.active = append(soft.active, l)
	applySoftLimit()
	return l
}

func (l *softLimit) release() {
	soft.mu.Lock()
	defer soft.mu.Unlock()
	for i, a := range soft.active {
		if a == l {
			soft.active = append(soft.active[:i], soft.active[i+1:]...)
			break
		}
	}
	if len(soft.active) == 0 {
		debug.SetMemoryLimit(soft.before)
		return
	}
	applySoftLimit()
}

// applySoftLimit sets the lowest limit of the active guards and of the one
// from before them. The caller holds soft.mu.
func applySoftLimit() {
	lim := soft.before
	for _, a := range soft.active {
		lim = min(lim, a.bytes)
	}
	debug.SetMemoryLimit(lim)
}
