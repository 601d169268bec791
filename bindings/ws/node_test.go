package ws_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// nodeDir holds the server written on npm's ws package; .ci/run installs its
// node_modules (npm ci), and the tests do it themselves when it is missing.
const nodeDir = "testdata/node"

var nodeSetup = sync.OnceValue(func() error {
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "ws", "package.json")); err == nil {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return err
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = nodeDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return &exec.Error{Name: "npm ci in " + nodeDir + ": " + strings.TrimSpace(string(out)), Err: err}
	}
	return nil
})

// requireNode skips t when node (or npm, to install ws) is missing, unless
// JSLOAD_REQUIRE_EXTERNAL=1 (set by .ci/run), which makes it fail.
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		err = nodeSetup()
	}
	if err != nil {
		msg := "node and npm are needed to test against the ws package (apt-get install nodejs npm): " + err.Error()
		if os.Getenv("JSLOAD_REQUIRE_EXTERNAL") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return node
}

// nodeServer is server.js running under node.
type nodeServer struct {
	url  string
	ends chan string // "end CODE REASON" lines
}

// startNode starts server.js on a free loopback port; it is stopped, and waited
// for, when t ends.
func startNode(t *testing.T) *nodeServer {
	t.Helper()
	node := requireNode(t)
	cmd := exec.Command(node, "server.js")
	cmd.Dir = nodeDir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &nodeServer{ends: make(chan string, 64)}
	ready := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if port, ok := strings.CutPrefix(line, "listening "); ok {
				ready <- port
			} else if strings.HasPrefix(line, "end ") {
				s.ends <- line
			}
		}
		close(ready)
	})
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		wg.Wait()
	})
	select {
	case port, ok := <-ready:
		if !ok {
			t.Fatal("node server.js ended before listening")
		}
		s.url = "ws://127.0.0.1:" + port
	case <-time.After(hangBound):
		t.Fatal("node server.js did not listen within the bound")
	}
	return s
}

func (s *nodeServer) waitEnd(t *testing.T) string {
	t.Helper()
	select {
	case e := <-s.ends:
		return e
	case <-time.After(hangBound):
		t.Fatal("the node server saw no connection end")
		return ""
	}
}

// TestNodeServer runs testdata/node.js against the ws package's server and
// checks, where it matters, how that server saw the connection end.
func TestNodeServer(t *testing.T) {
	srv := startNode(t)
	e := map[string]string{"NODE_WS": srv.url}
	for _, tt := range []struct{ fn, end string }{
		{"testEcho", "end 1000 bye node"},
		{"testFragmented", "end 1000"},
		{"testPingPong", "end 1000"},
		{"testServerClose", "end 4002"}, // the echo carries the code only
		{"testTerminate", "end 1006"},
		{"testCompressionAndProtocol", "end 1000"},
	} {
		t.Run(tt.fn, func(t *testing.T) {
			if _, _, err := runJS(t, "node.js", tt.fn, e); err != nil {
				t.Fatal(err)
			}
			if end := srv.waitEnd(t); end != tt.end {
				t.Errorf("the server saw %q, want %q", end, tt.end)
			}
		})
	}
}
