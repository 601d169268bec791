package tests

import (
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestStreamsCtrlC interrupts a run whose iterations and background scripts
// hold WebSocket and SSE streams that never end on their own: the run stops
// within its gracefulStop, the streams' metrics are in the summary, and no
// goroutine is left (TestMain's goleak).
func TestStreamsCtrlC(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	r := runInterrupted(t, newInterrupter([]string{"streaming in VU 1", "streaming in VU 2"}), "--demo", "testdata/streams.js")
	r.expect(t, cli.ExitExternalAbort, []string{"ws_sessions", "ws_msgs_received", "sse_events_received", "2 interrupted"}, []string{"stopping"})
	if took := time.Since(begin); took > 30*time.Second {
		t.Errorf("Ctrl+C took %v to stop a run holding streams", took)
	}
	if strings.Contains(r.stderr, "panic") {
		t.Errorf("a panic reached the user:\n%s", r.stderr)
	}
}
