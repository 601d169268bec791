package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/scheduler"
)

// progress renders the live progress line: on a terminal one line refreshed in
// place every second; elsewhere a plain line every 10 seconds, without control
// characters.
type progress struct {
	w        io.Writer
	terminal bool
	mu       sync.Mutex
	last     time.Duration
	shown    bool
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, terminal: isTerminal(w)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update is called by the scheduler's collector about once a second.
func (p *progress) update(pr scheduler.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.terminal && pr.Elapsed-p.last < 10*time.Second {
		return
	}
	p.last = pr.Elapsed
	line := progressLine(pr)
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.shown = true
		return
	}
	fmt.Fprintln(p.w, line)
}

// clear removes the refreshing line before the summary is printed.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

func progressLine(pr scheduler.Progress) string {
	elapsed := pr.Elapsed.Truncate(time.Second)
	when := scheduler.FormatDuration(elapsed)
	if pr.Planned > 0 {
		when += "/" + scheduler.FormatDuration(pr.Planned)
	}
	iters := count(pr.Totals, "iterations")
	reqs := count(pr.Interval, "http_reqs")
	rate := 0.0
	if secs := pr.Interval.Elapsed().Seconds(); secs > 0 {
		rate = reqs / secs
	}
	failed := 0.0
	if m := pr.Totals.Metric("http_req_failed"); m != nil {
		failed = pr.Totals.Sum(m, metrics.Tags{}).Rate() * 100
	}
	return fmt.Sprintf("running %s  VUs %d  iterations %.0f  %.1f req/s  failed %.1f%%", when, pr.VUs, iters, rate, failed)
}

func count(s *metrics.Snapshot, name string) float64 {
	if s == nil {
		return 0
	}
	m := s.Metric(name)
	if m == nil {
		return 0
	}
	return s.Sum(m, metrics.Tags{}).Sum
}
