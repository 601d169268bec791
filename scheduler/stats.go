package scheduler

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/jsruntime"
)

// Result is what a test run did.
type Result struct {
	Iterations      int64 // completed without error
	Failed          int64 // ended by an exception or fail()
	Interrupted     int64 // cut short by a stop
	Checks          []CheckCount
	Duration        time.Duration
	Aborted         error // the cause when the test was aborted, else nil
	UserInterrupted bool  // stopped by Ctrl+C
}

// CheckCount is the tally of one named check.
type CheckCount struct {
	Name          string
	Passes, Fails int64
}

type stats struct {
	iterations, failed, interrupted atomic.Int64
}

func (s *stats) record(_ time.Duration, o outcome) {
	switch o {
	case completed:
		s.iterations.Add(1)
	case failed:
		s.failed.Add(1)
	default:
		s.interrupted.Add(1)
	}
}

// checkTally gives each VU its own check counters (no lock shared between VUs on the
// hot path) and adds them up at the end.
type checkTally struct {
	mu  sync.Mutex
	vus []*vuChecks
}

type vuChecks struct {
	mu     sync.Mutex // the VU's main and background runtimes share it
	counts map[string]*[2]int64
}

func (c *checkTally) forVU() jsruntime.Recorder {
	v := &vuChecks{}
	c.mu.Lock()
	c.vus = append(c.vus, v)
	c.mu.Unlock()
	return v
}

// Check implements jsruntime.Recorder.
func (v *vuChecks) Check(name string, ok bool) {
	v.mu.Lock()
	if v.counts == nil {
		v.counts = map[string]*[2]int64{}
	}
	n := v.counts[name]
	if n == nil {
		n = new([2]int64)
		v.counts[name] = n
	}
	if ok {
		n[0]++
	} else {
		n[1]++
	}
	v.mu.Unlock()
}

func (c *checkTally) totals() []CheckCount {
	sum := map[string]*CheckCount{}
	var order []string
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.vus {
		v.mu.Lock()
		for name, n := range v.counts {
			cc := sum[name]
			if cc == nil {
				cc = &CheckCount{Name: name}
				sum[name] = cc
				order = append(order, name)
			}
			cc.Passes += n[0]
			cc.Fails += n[1]
		}
		v.mu.Unlock()
	}
	sort.Strings(order)
	out := make([]CheckCount, len(order))
	for i, name := range order {
		out[i] = *sum[name]
	}
	return out
}
