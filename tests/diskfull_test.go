package tests

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestOutputOnAFullDevice: every write to /dev/full fails; the run goes on, its
// summary is printed, and the exit code says metrics were lost.
func TestOutputOnAFullDevice(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	export := filepath.Join(t.TempDir(), "summary.json")
	r := run(t, nil, "run", "--out", "json=/dev/full", "--summary-export", export, "testdata/ran.js")
	r.expect(t, cli.ExitOutputLost, []string{"1 iterations completed"},
		[]string{"jsload: --out: /dev/full lost", "no space left on device", "some results could not be written"})
	if _, err := os.Stat(export); err != nil {
		t.Errorf("the summary export was not written: %v", err)
	}
}

// TestOutputOnAFullDisk writes the NDJSON output to a tmpfs of 96 KiB that
// fills up during the run: the file holds only whole lines, the loss is said,
// and the exit code is ExitOutputLost. It needs to mount a file system (root).
func TestOutputOnAFullDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mnt := filepath.Join(dir, "small")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	ndjson := filepath.Join(mnt, "out.ndjson")
	export := filepath.Join(dir, "summary.json")
	r := run(t, nil, "run", "-q", "--out", "json="+ndjson, "--summary-export", export, "testdata/manyseries.js")
	r.expect(t, cli.ExitOutputLost, []string{"iterations completed"},
		[]string{"writing metrics output", "no space left on device", "jsload: --out: " + ndjson + " lost", "the totals among them"})
	data, err := os.ReadFile(ndjson)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Fatalf("the NDJSON (%d bytes) does not end with a whole line: ...%q", len(data), data[max(0, len(data)-80):])
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	for i, line := range lines {
		if !json.Valid(line) {
			t.Fatalf("line %d of %d is not JSON: %q", i+1, len(lines), line)
		}
	}
	if !strings.Contains(string(data), `"metric":"hits"`) {
		t.Errorf("no interval reached the file before it filled up")
	}
	if _, err := os.Stat(export); err != nil {
		t.Errorf("the summary export (on another disk) was not written: %v", err)
	}
}
