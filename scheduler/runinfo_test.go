package scheduler

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestTestName(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		raw, want, err string
	}{
		{`{"testName":"checkout"}`, "checkout", ""},
		{`{"testName":"shop/checkout"}`, "shop/checkout", ""},
		{`{"testName":"a/../b"}`, "a/../b", ""},
		{`{"testName":""}`, "", ""},
		{`{"testName":"../../x"}`, "", `options.testName: "../../x" would put the test's results outside --results-dir: name the test without ".." or a leading "/", e.g. "x"`},
		{`{"testName":"a/../../x"}`, "", "outside --results-dir"},
		{`{"testName":"/tmp/x"}`, "", `outside --results-dir`},
		{`{"testName":".."}`, "", `e.g. "checkout"`},
		{`{"testName":"."}`, "", `outside --results-dir`},
		{`{"testName":5}`, "", "options.testName: must be a string such as 'checkout', got 5"},
	} {
		o, err := ParseOptions([]byte(tt.raw))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %v, want an error with %q", tt.raw, err, tt.err)
			}
			continue
		}
		if err != nil || o.TestName != tt.want {
			t.Errorf("%s: %q, %v", tt.raw, o.TestName, err)
		}
	}
	// Whoever calls newRunDirs, no folder is made outside the root.
	root := filepath.Join(t.TempDir(), "results")
	if d, err := newRunDirs(root, "../../escaped"); err == nil {
		d.remove()
		t.Errorf("newRunDirs made %s", d.path)
	}
}

// TestStaleCacheFolders: the temporary folders of runs whose jsload process is
// dead are removed when the next run starts; those of live processes, and any
// folder jsload cannot tell is its own, stay.
func TestStaleCacheFolders(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skipf("no process to outlive: %v", err)
	}
	self := os.Getpid()
	folders := map[string]string{ // name → pid file ("" for none)
		"jsload-crashed-1":   fmt.Sprintf("%d %s\n", dead.Process.Pid, processStart(dead.Process.Pid)),
		"jsload-running-2":   fmt.Sprintf("%d %s\n", self, processStart(self)),
		"jsload-unstamped-3": "",
		"jsload-garbled-4":   "not a pid",
		"other-5":            fmt.Sprintf("%d\n", dead.Process.Pid),
	}
	gone := []string{"jsload-crashed-1"}
	if processStart(self) != "" { // Linux: a reused pid is told apart
		folders["jsload-reused-6"] = fmt.Sprintf("%d 1\n", self)
		gone = append(gone, "jsload-reused-6")
	}
	for name, stamp := range folders {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "trace"), 0o755); err != nil {
			t.Fatal(err)
		}
		if stamp != "" {
			if err := os.WriteFile(filepath.Join(dir, cachePIDFile), []byte(stamp), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir, err := newCacheDir(tmp, "next")
	if err != nil {
		t.Fatal(err)
	}
	for name := range folders {
		_, err := os.Stat(filepath.Join(tmp, name))
		removed := os.IsNotExist(err)
		if want := strings.Contains(strings.Join(gone, " "), name); removed != want {
			t.Errorf("%s: removed %v, want %v", name, removed, want)
		}
	}
	stamp, err := os.ReadFile(filepath.Join(dir, cachePIDFile))
	if err != nil || !strings.HasPrefix(string(stamp), fmt.Sprintf("%d ", self)) {
		t.Errorf("the new folder's record: %q, %v", stamp, err)
	}
	if !strings.HasPrefix(filepath.Base(dir), "jsload-next-") {
		t.Errorf("new folder %s", dir)
	}
}
