package tests

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/internal/testio"
)

// TestTerminalProgressAndLogs runs a test with stderr on a pseudo-terminal:
// the progress line refreshes in place and shows iterations done/planned, and
// every log line starts on a cleared line, never glued to the progress line.
func TestTerminalProgressAndLogs(t *testing.T) {
	t.Parallel()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		_, err := io.Copy(&screen, ptmx)
		if err != nil && !errors.Is(err, syscall.EIO) && !errors.Is(err, os.ErrClosed) {
			t.Errorf("read the terminal: %v", err)
		}
	}()
	var stdout testio.Buffer
	code := cli.Main([]string{"run", "--results-dir", t.TempDir(), "testdata/ticks.js"},
		cli.IO{Stdout: &stdout, Stderr: tty})
	tty.Close() // the reader sees EIO once the terminal has no writer
	<-read
	out := screen.String()
	if code != cli.ExitOK {
		t.Fatalf("exit code %d\n%q", code, out)
	}
	const clear = "\r\x1b[K"
	for _, tick := range []string{"[vu 1] tick 0", "[vu 1] tick 1", "[vu 1] tick 2"} {
		i := strings.Index(out, tick)
		if i < 0 {
			t.Fatalf("the terminal lacks %q:\n%q", tick, out)
		}
		if before := out[:i]; !strings.HasSuffix(before, clear) && !strings.HasSuffix(before, "\n") {
			t.Errorf("%q glued to what came before it: %q", tick, before[max(0, len(before)-80):])
		}
	}
	// At least one log line came while the progress line was shown: cleared
	// first, then drawn again under it.
	glued := regexp.MustCompile(`iterations \d/3 [^\r\n]*%` + regexp.QuoteMeta(clear) + `\[vu 1\] tick \d\r?\n` + regexp.QuoteMeta(clear) + `running`)
	if !glued.MatchString(out) {
		t.Errorf("no log line cleared a progress line showing iterations done/planned and drew it again:\n%q", out)
	}
	if strings.Contains(out, "\x1b[K") && strings.Contains(stdout.String(), "\x1b") {
		t.Errorf("control characters reached stdout: %q", stdout.String())
	}
}
