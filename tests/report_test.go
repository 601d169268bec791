package tests

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/metrics"
)

// chromium runs headless Chromium with the flags that work on a machine
// without network or display, on a profile of its own, and returns its
// standard output.
func chromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // only against a hang
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

// artifactDir is where the test keeps its screenshot: the test's artifact
// folder under go test -artifacts -outputdir DIR, else a folder in the
// system's temporary folder, named in the log.
func artifactDir(t *testing.T) string {
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		return t.ArtifactDir()
	}
	dir := filepath.Join(os.TempDir(), "jsload-test-artifacts", t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

var (
	chartRe    = regexp.MustCompile(`data-chart="([^"]+)" data-points="(\d+)" data-rendered="(\d)"`)
	renderedRe = regexp.MustCompile(`<body[^>]*data-rendered="ok"`)
	errorsRe   = regexp.MustCompile(`<body[^>]*data-script-errors="(\d+)"`)
)

// TestReportInBrowser runs a test, opens the report.html of its run folder in
// headless Chromium and checks that it rendered without script errors and
// that every chart drew the points of the run's series; it keeps a
// screenshot.
func TestReportInBrowser(t *testing.T) {
	t.Parallel()
	bin := external(t, "chromium", "chromium")
	r := run(t, nil, "run", "-q", "--demo", "testdata/report.js")
	r.expect(t, cli.ExitOK, []string{"█ GROUP api", "█ GROUP shoppers", "█ ERRORS"}, nil)
	dir := runFolder(t, r)
	for _, name := range []string{"summary.txt", "summary.json", "series.ndjson", "report.html"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("run folder lacks %s: %v", name, err)
		}
	}
	want := expectedPoints(t, dir)

	page := "file://" + filepath.Join(dir, "report.html")
	dom := string(chromium(t, bin, "--dump-dom", page))
	if !renderedRe.MatchString(dom) {
		t.Fatalf("the report's script did not finish drawing:\n%.2000s", dom)
	}
	if m := errorsRe.FindStringSubmatch(dom); m == nil || m[1] != "0" {
		t.Errorf("script errors in the report: %v\n%s", m, between(dom, `<pre id="script-errors"`, "</pre>"))
	}
	got := map[string]int{}
	for _, m := range chartRe.FindAllStringSubmatch(dom, -1) {
		n, _ := strconv.Atoi(m[2])
		got[m[1]] = n
		if m[3] != "1" {
			t.Errorf("chart %s has no canvas", m[1])
		}
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("chart %s drew %d points, want %d (the series has them)", id, got[id], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("charts %v, want %v", got, want)
	}
	for _, s := range []string{"status is 200", "every fifth fails", "out of stock", "report.js:", "p(95)&lt;5000", "shoppers"} {
		if !strings.Contains(dom, s) {
			t.Errorf("the report lacks %q", s)
		}
	}

	shot := filepath.Join(artifactDir(t), "report.png")
	chromium(t, bin, "--window-size=1280,3000", "--hide-scrollbars", "--screenshot="+shot, page)
	if data, err := os.ReadFile(shot); err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
		t.Fatalf("no screenshot at %s: %v", shot, err)
	}
	t.Logf("screenshot of the report: %s", shot)
}

// TestReportScriptErrorsSeen: the check of TestReportInBrowser can fail: a
// report with a failing script is seen as such.
func TestReportScriptErrorsSeen(t *testing.T) {
	t.Parallel()
	bin := external(t, "chromium", "chromium")
	r := run(t, nil, "run", "-q", "--no-fail-on-error", "testdata/env.js") // its one iteration fails
	r.expect(t, cli.ExitOK, nil, nil)
	path := filepath.Join(runFolder(t, r), "report.html")
	html, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(html, []byte("</body>"), []byte("<script>undefinedFunction();</script></body>"), 1)
	writeFile(t, path, string(broken))
	dom := string(chromium(t, bin, "--dump-dom", "file://"+path))
	if m := errorsRe.FindStringSubmatch(dom); m == nil || m[1] != "1" {
		t.Errorf("a script error was not counted: %v", m)
	}
	if !strings.Contains(dom, "undefinedFunction") {
		t.Errorf("the script error is not shown on the page")
	}
}

// expectedPoints counts, from the run's series, the points each chart must
// have: one per interval, or per interval with samples for percentiles.
func expectedPoints(t *testing.T, dir string) map[string]int {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "series.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	points, err := metrics.ReadSeries(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(points) < 2 {
		t.Fatalf("a 2.5 s run has %d intervals", len(points))
	}
	n := len(points)
	want := map[string]int{"vus": n, "rps": n, "errors": n, "group-rate": n, "group-errors": n}
	for _, p := range points {
		if p.All.Duration != nil {
			want["duration"]++
		}
		for _, tx := range []string{"browse", "buy"} {
			if p.Transactions[tx].Duration != nil {
				want["tx-"+tx]++
			}
		}
		if p.Groups["api"].Duration != nil || p.Groups["shoppers"].Duration != nil {
			want["group-p95"]++
		}
	}
	return want
}

func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	before, _, _ := strings.Cut(after, to)
	return before
}
