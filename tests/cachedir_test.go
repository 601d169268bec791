package tests

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestKilledRunCacheCleaned kills a running jsload process (as the kernel's
// out-of-memory killer would): its temporary folder stays behind, and the
// next run removes it.
func TestKilledRunCacheCleaned(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "run", "--results-dir", t.TempDir(), "testdata/cachehome.js")
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cache := ""
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if _, c, ok := strings.Cut(sc.Text(), "] cache "); ok {
			cache = c
			break
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if cache == "" {
		t.Fatal("the run never said where its temporary folder is")
	}
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("the killed run's folder %s is not there to clean: %v", cache, err)
	}
	run(t, nil, "run", "testdata/ran.js").expect(t, cli.ExitOK, nil, nil)
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		_ = os.RemoveAll(cache)
		t.Errorf("the next run left the killed run's folder %s: %v", cache, err)
	}
}
