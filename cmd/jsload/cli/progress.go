package cli

import (
	"bytes"
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
// characters. Lines logged meanwhile (console.log, errors, warnings) go
// through Log, which clears the progress line first and draws it again under
// them, so the two never end up glued together.
type progress struct {
	w        io.Writer
	terminal bool
	planned  int64 // iterations the plan runs in all, 0 when it runs by time
	mu       sync.Mutex
	last     time.Duration
	line     string // the progress line on screen, when shown
	shown    bool
	partial  bool // a log line was written without its end: do not redraw yet
}

func newProgress(w io.Writer, planned int64) *progress {
	return &progress{w: w, terminal: isTerminal(w), planned: planned}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// plannedIterations is the number of iterations a plan runs, when every group
// ends by iteration count; 0 otherwise.
func plannedIterations(p *scheduler.Plan) int64 {
	var n int64
	for _, g := range p.Groups {
		switch e := g.Executor.(type) {
		case *scheduler.SharedIterations:
			n += e.Iterations
		case *scheduler.PerVUIterations:
			n += e.VUs * e.Iterations
		default:
			return 0
		}
	}
	return n
}

// update is called by the scheduler's collector about once a second.
func (p *progress) update(pr scheduler.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.terminal && pr.Elapsed-p.last < 10*time.Second {
		return
	}
	p.last = pr.Elapsed
	line := progressLine(pr, p.planned)
	if !p.terminal {
		fmt.Fprintln(p.w, line)
		return
	}
	p.line = line
	if p.partial {
		return // drawn under the log line once it ends
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.shown = true
}

// clear removes the refreshing line before the summary is printed.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
	p.line = ""
}

// Log returns a writer for log lines that keeps the progress line out of
// their way.
func (p *progress) Log() io.Writer { return progressLog{p} }

type progressLog struct{ p *progress }

// Write clears the progress line, writes b, and draws the line again once b
// ended a line.
func (l progressLog) Write(b []byte) (int, error) {
	p := l.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
	n, err := p.w.Write(b)
	p.partial = len(b) > 0 && !bytes.HasSuffix(b, []byte("\n"))
	if p.terminal && !p.partial && p.line != "" {
		fmt.Fprintf(p.w, "\r\033[K%s", p.line)
		p.shown = true
	}
	return n, err
}

func progressLine(pr scheduler.Progress, planned int64) string {
	elapsed := pr.Elapsed.Truncate(time.Second)
	when := scheduler.FormatDuration(elapsed)
	if pr.Planned > 0 {
		when += "/" + scheduler.FormatDuration(pr.Planned)
	}
	// Done iterations: completed or failed, as planned ones are.
	iters := fmt.Sprintf("%.0f", count(pr.Totals, "iterations")+count(pr.Totals, "iterations_failed"))
	if planned > 0 {
		iters += fmt.Sprintf("/%d", planned)
	}
	reqs := count(pr.Interval, "http_reqs")
	rate := 0.0
	if secs := pr.Interval.Elapsed().Seconds(); secs > 0 {
		rate = reqs / secs
	}
	failed := 0.0
	if m := pr.Totals.Metric("http_req_failed"); m != nil {
		failed = pr.Totals.Sum(m, metrics.Tags{}).Rate() * 100
	}
	return fmt.Sprintf("running %s  VUs %d  iterations %s  %.1f req/s  failed %.1f%%", when, pr.VUs, iters, rate, failed)
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
