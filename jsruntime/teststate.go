package jsruntime

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// TestState is the state every VU of one test run shares: the compiled program (and
// its hot-reload generations), setup() data, the metric registry, the console and
// the hooks the scheduler gives. Its fields are set before the first VU is built
// and not changed afterwards; its methods are safe from any goroutine.
type TestState struct {
	// Program is the compiled script.
	Program *Program
	// ThinkTimeFactor scales sleep and pause; 1 keeps them, 0 disables them.
	ThinkTimeFactor float64
	// SetupData is setup()'s result as JSON, passed to every VU; nil for none.
	SetupData []byte
	// Abort ends the test at once; called by abortTest from any goroutine.
	Abort func(msg string)
	// Console receives console.* lines; nil discards them.
	Console io.Writer
	// Debug keeps console.debug lines (--debug); without it they are dropped.
	Debug bool
	// OnError receives the errors no iteration owns: a background script's
	// fault, a hot-reload generation whose top level or vuInit fails (nil: they
	// go to Console); the scheduler logs them once per distinct message.
	OnError func(what string, err error)
	// Metrics is the test's metric registry; every VU gets a sink of it.
	Metrics *metrics.Registry
	// Tags are added to every sample (the VU's group is added per VU).
	Tags metrics.Tags
	// MaxCallStack, if not 0, replaces DefaultMaxCallStack, the deepest call
	// nesting of every runtime.
	MaxCallStack int
	// TestOptions are the settings of the script's options bindings read; set
	// once the options are known, before the VUs that run the test are made.
	TestOptions bindings.TestOptions

	// RunningVUs reports the VUs running now, in the test or one group (-1 for
	// a group the test does not have); nil reports 0.
	RunningVUs func(group string) int64

	// OnGenerationLive, if set, is called once per hot-reload generation when
	// every live VU runs it, with the time since the swap.
	OnGenerationLive func(generation int, took time.Duration)

	gen       atomic.Pointer[generation] // read lock-free at every iteration; Swap stores it under genMu
	genMu     sync.Mutex
	liveVUs   int64 // VUs counted by moveVU; genMu guards it and the generations' counts
	consoleMu sync.Mutex
	locals    locals

	browserNote sync.Once // the first halt of vuInit's scripts by a new browser is said once
}

// console writes one line "[vu 3] msg" (or "[vu 3 ticker] WARN msg") to Console.
func (s *TestState) console(vuID int64, script, level, msg string) {
	if s.Console == nil || (level == "debug" && !s.Debug) {
		return
	}
	prefix := fmt.Sprintf("[vu %d", vuID)
	if vuID == 0 {
		prefix = "[test" // setup() and teardown()
	}
	if script != "" {
		prefix += " " + script
	}
	prefix += "] "
	switch level {
	case "warn":
		prefix += "WARN "
	case "error":
		prefix += "ERROR "
	case "debug":
		prefix += "DEBUG "
	}
	s.consoleMu.Lock()
	defer s.consoleMu.Unlock()
	_, _ = io.WriteString(s.Console, prefix+msg+"\n")
}

// reportError hands an error that is no iteration's to OnError.
func (s *TestState) reportError(what string, err error) {
	if s.OnError != nil {
		s.OnError(what, err)
		return
	}
	s.console(0, "", "error", what+": "+err.Error())
}

// TestLocal returns the test-wide value under key (bindings.Host.TestLocal),
// creating it with create on first use. The scheduler installs a distributed
// test's backends of `shared` and `rendezvous` with it before any VU is built.
func (s *TestState) TestLocal(key any, create func() any) any { return s.locals.get(key, create) }
