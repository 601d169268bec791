package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/internal/testio"
)

// watchRun starts `jsload run --watch` on script in dir and returns its output and a
// function that ends it (Ctrl+C twice) and returns the exit code.
func watchRun(t *testing.T, dir, script string, extra ...string) (*testio.Buffer, func() int) {
	t.Helper()
	var out testio.Buffer
	sig := make(chan os.Signal, 2)
	codes := make(chan int, 1)
	args := append([]string{"run", "--watch", "-q", "--results-dir", filepath.Join(dir, "results")}, extra...)
	args = append(args, filepath.Join(dir, script))
	go func() { codes <- cli.Main(args, cli.IO{Stdout: &out, Stderr: &out, Signals: sig}) }()
	stop := func() int {
		sig <- os.Interrupt
		sig <- os.Interrupt
		select {
		case code := <-codes:
			return code
		case <-time.After(30 * time.Second):
			t.Fatalf("--watch did not end on Ctrl+C:\n%s", out.String())
			return -1
		}
	}
	return &out, stop
}

// waitFor polls the output until it contains want. Each wait covers a reload
// (file event, debounce, compile, the next iteration of every VU), which a busy
// machine running -race can make slow: the 30 s only stop a broken watch from
// hanging the test.
func waitFor(t *testing.T, out *testio.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(out.String(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("output never showed %q:\n%s", want, out.String())
}

func write(t *testing.T, path, src string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replace saves like an editor: write a temporary file, rename it over the original.
func replace(t *testing.T, path, src string) {
	t.Helper()
	tmp := path + ".swp"
	write(t, tmp, src)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

const watchScript = `import { sleep } from 'jsload';
import { word } from './lib.js';
export const options = { vus: 2, duration: '1m', gracefulStop: '1s' };
export default function () {
  console.log('says ' + word + ' MARK ' + getString('city', '-'));
  if (!hasKey('poller')) {
    setString('poller', 'on');
    createBackgroundScript('poll', { exec: 'poll' }, { loop: true, pause: '20ms', stopMode: 'immediate' });
  }
  sleep(0.05);
}
export function poll() { setString('pollGen', 'MARK'); }
`

func TestWatchReloads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	main := filepath.Join(dir, "main.js")
	lib := filepath.Join(dir, "lib.js")
	write(t, lib, "export const word = 'hello';\n")
	write(t, main, strings.ReplaceAll(watchScript, "MARK", "v1"))
	out, stop := watchRun(t, dir, "main.js")
	waitFor(t, out, "says hello v1")

	// An in-place write.
	write(t, main, strings.ReplaceAll(watchScript, "MARK", "v2"))
	waitFor(t, out, "generation 2 compiled")
	waitFor(t, out, "says hello v2")
	waitFor(t, out, "generation 2 runs in every VU")

	// An editor's save: temporary file renamed over the script.
	replace(t, main, strings.ReplaceAll(watchScript, "MARK", "v3"))
	waitFor(t, out, "says hello v3")

	// A syntax error: reported with its location, generation 3 keeps running.
	write(t, main, "export default function ( {\n")
	waitFor(t, out, "main.js:2:1:")
	waitFor(t, out, "generation 3 keeps running")
	n := strings.Count(out.String(), "says hello v3")
	deadline := time.Now().Add(30 * time.Second) // for 3 more iterations of 50 ms: only a stopped generation takes that long
	for strings.Count(out.String(), "says hello v3") <= n+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if strings.Count(out.String(), "says hello v3") <= n+2 {
		t.Fatalf("generation 3 stopped running after a syntax error:\n%s", out.String())
	}

	// Fixing it and changing an imported module.
	write(t, main, strings.ReplaceAll(watchScript, "MARK", "v4"))
	waitFor(t, out, "says hello v4")
	write(t, lib, "export const word = 'bonjour';\n")
	waitFor(t, out, "says bonjour v4")

	if code := stop(); code != cli.ExitOK {
		t.Errorf("exit code %d, want 0", code)
	}
	if !strings.Contains(out.String(), "iterations") {
		t.Errorf("no final summary:\n%s", out.String())
	}
}

func TestWatchRestartsOnDataAndOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	script := `import { sleep } from 'jsload';
export const options = { vus: 1, duration: '1m', gracefulStop: '1s', data: { cities: { file: 'cities.csv', rows: 'shared' } } };
export default function () { console.log('city ' + getString('city')); sleep(0.05); }
`
	write(t, filepath.Join(dir, "cities.csv"), "city\nParis\n")
	write(t, filepath.Join(dir, "main.js"), script)
	out, stop := watchRun(t, dir, "main.js")
	waitFor(t, out, "city Paris")
	write(t, filepath.Join(dir, "cities.csv"), "city\nLyon\n")
	waitFor(t, out, "data changed: restarting the run")
	waitFor(t, out, "city Lyon")
	write(t, filepath.Join(dir, "main.js"), strings.Replace(script, "vus: 1", "vus: 2", 1))
	waitFor(t, out, "options changed: restarting the run")
	waitFor(t, out, "2 VUs for 1m")
	stop()
}

func TestWatchRestartsAFinishedRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.js"), "export const options = { iterations: 1 };\nexport default function () { console.log('ran A'); }\n")
	out, stop := watchRun(t, dir, "main.js")
	waitFor(t, out, "run 1 finished")
	write(t, filepath.Join(dir, "main.js"), "export const options = { iterations: 1 };\nexport default function () { console.log('ran B'); }\n")
	waitFor(t, out, "starting the run again")
	waitFor(t, out, "ran B")
	waitFor(t, out, "run 2 finished")
	stop()
	// Each run's folder was filled before the run was reported finished.
	for _, run := range []string{"1", "2"} {
		for _, name := range []string{"summary.txt", "summary.json", "series.ndjson", "report.html"} {
			if _, err := os.Stat(filepath.Join(dir, "results", "main", run, name)); err != nil {
				t.Errorf("run folder %s: %v", run, err)
			}
		}
	}
}

// TestWatchEnv: the script's top level sees -e values and --demo's BASE_URL under
// --watch as it does without.
func TestWatchEnv(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, key string
		flags     []string
		want      string
	}{
		{"env flag", "X", []string{"-e", "X=1"}, "X is 1"},
		{"demo", "BASE_URL", []string{"--demo"}, "BASE_URL is http://127.0.0.1:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			write(t, filepath.Join(dir, "main.js"), `if (!__ENV.`+tt.key+`) throw new Error('`+tt.key+` is not set');
export const options = { iterations: 1 };
export default function () { console.log('`+tt.key+` is ' + __ENV.`+tt.key+`); }
`)
			out, stop := watchRun(t, dir, "main.js", tt.flags...)
			waitFor(t, out, "run 1 finished")
			if code := stop(); code != cli.ExitOK {
				t.Errorf("exit code %d, want 0", code)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out.String())
			}
		})
	}
}

// TestWatchThresholds: ending watching exits with 99 when the thresholds of the last
// run failed.
func TestWatchThresholds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.js"), "export const options = { iterations: 1, thresholds: { iterations: ['count>5'] } };\nexport default function () {}\n")
	out, stop := watchRun(t, dir, "main.js")
	waitFor(t, out, "run 1 finished")
	if code := stop(); code != cli.ExitThresholds {
		t.Errorf("exit code %d, want %d:\n%s", code, cli.ExitThresholds, out.String())
	}
	if !strings.Contains(out.String(), "some thresholds of the last run failed") {
		t.Errorf("output does not say the thresholds failed:\n%s", out.String())
	}
}

// TestWatchFollowsSymlinks: a module reached through a symbolic link (to the
// file, or to one of its folders) is reloaded when its target is edited, not
// only when the link changes.
func TestWatchFollowsSymlinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	project, shared := filepath.Join(dir, "project"), filepath.Join(dir, "shared")
	for _, d := range []string{project, filepath.Join(shared, "util")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	lib, util := filepath.Join(shared, "lib.js"), filepath.Join(shared, "util", "util.js")
	write(t, lib, "export const word = 'hello';\n")
	write(t, util, "export const mark = 'm1';\n")
	if err := os.Symlink(lib, filepath.Join(project, "lib.js")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(shared, "util"), filepath.Join(project, "util")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(project, "main.js"), `import { sleep } from 'jsload';
import { word } from './lib.js';
import { mark } from './util/util.js';
export const options = { vus: 1, duration: '1m', gracefulStop: '1s' };
export default function () {
  console.log('says ' + word + ' ' + mark);
  sleep(0.05);
}
`)
	out, stop := watchRun(t, project, "main.js")
	waitFor(t, out, "says hello m1")
	write(t, lib, "export const word = 'bonjour';\n") // the link's target, in place
	waitFor(t, out, "lib.js changed: generation 2 compiled")
	waitFor(t, out, "says bonjour m1")
	replace(t, util, "export const mark = 'm2';\n") // an editor's save in a linked folder
	waitFor(t, out, "says bonjour m2")
	if code := stop(); code != cli.ExitOK {
		t.Errorf("exit code %d, want 0", code)
	}
}
