package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/internal/testio"
)

// requireEnv names the variable that makes tests needing an external
// program (chromium, prometheus, influxd) fail when it is missing, rather
// than skip: .ci/run sets it after installing them.
const requireEnv = "JSLOAD_REQUIRE_EXTERNAL"

// external returns the path of program, or skips the test (fails it when
// JSLOAD_REQUIRE_EXTERNAL=1) when it is not installed.
func external(t *testing.T, program, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s is not installed (Debian package %s: apt-get install %s)", program, debianPackage, debianPackage)
	if os.Getenv(requireEnv) == "1" {
		t.Fatalf("%s, and %s=1 says this test must run", msg, requireEnv)
	}
	t.Skip(msg + "; skipping")
	return ""
}

// freePort returns a loopback port nothing listened on a moment ago, for a
// server started as another program (which binds it itself).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// server is an external program started by a test.
type server struct {
	cmd  *exec.Cmd
	log  *testio.Buffer
	done chan struct{}
}

// startServer starts path with args, its output kept for failure messages,
// and stops it when the test ends.
func startServer(t *testing.T, path string, args ...string) *server {
	t.Helper()
	s := &server{cmd: exec.Command(path, args...), log: &testio.Buffer{}, done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})
	return s
}

// waitReady polls url until it answers with a 2xx status. The deadline only
// stops a server that never starts; the test then fails with its log.
func (s *server) waitReady(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return
			}
		}
		select {
		case <-s.done:
			t.Fatalf("%s ended before it was ready:\n%s", s.cmd.Path, s.log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%s was not ready after 60 s:\n%s", s.cmd.Path, s.log.String())
}

// queryJSON GETs target with query parameters and decodes the JSON answer.
func queryJSON(t *testing.T, target string, params url.Values, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target+"?"+params.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("query %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("query %s %v: %s %s", target, params, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("query %s: %v: %s", target, err, body)
	}
}

// runFolder returns the run folder a run printed ("results in PATH").
func runFolder(t *testing.T, r result) string {
	t.Helper()
	_, after, ok := strings.Cut(r.stdout, "; results in ")
	dir, _, _ := strings.Cut(after, "\n")
	if !ok || !filepath.IsAbs(dir) {
		t.Fatalf("no absolute run folder in the output:\n%s", r.stdout)
	}
	return dir
}

// parseFloat parses a value as Prometheus and InfluxDB return them.
func parseFloat(t *testing.T, v any) float64 {
	t.Helper()
	switch x := v.(type) {
	case float64:
		return x
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			t.Fatalf("value %q: %v", x, err)
		}
		return f
	}
	t.Fatalf("value %v (%T) is not a number", v, v)
	return 0
}

// nearlyEqual compares figures that went through a backend's float64
// storage and text encoding.
func nearlyEqual(a, b float64) bool {
	return a == b || (b != 0 && abs((a-b)/b) < 1e-9)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
