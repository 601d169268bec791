package scheduler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// runDirs are the folders of one run: its results folder, numbered per test, and a
// per-run temporary folder removed at the end.
type runDirs struct {
	number    int
	path      string // results/<testName>/<number>, absolute
	cacheHome string // a temporary folder for this run
}

// newRunDirs creates the next numbered results folder of testName under root
// (root/testName/1, 2, ...) and the run's temporary folder. Runs started at the
// same time get distinct numbers.
func newRunDirs(root, testName string) (*runDirs, error) {
	if err := checkTestName(testName); err != nil { // options.testName was checked already: this is for any other caller
		return nil, err
	}
	root, err := filepath.Abs(root) // runPath is absolute: scripts may change their working folder
	if err != nil {
		return nil, fmt.Errorf("create results folder: %w", err)
	}
	base := filepath.Join(root, testName)
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("create results folder: %w (choose another with --results-dir)", err)
	}
	n := lastRunNumber(base)
	for {
		n++
		path := filepath.Join(base, strconv.Itoa(n))
		err := os.Mkdir(path, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create results folder: %w", err)
		}
		cache, err := newCacheDir("", testName)
		if err != nil {
			return nil, err
		}
		if err := os.Mkdir(filepath.Join(cache, "trace"), 0o755); err != nil {
			return nil, fmt.Errorf("create the run's trace folder: %w", err)
		}
		return &runDirs{number: n, path: path, cacheHome: cache}, nil
	}
}

// parseTestName reads options.testName, which names the test's folder under
// --results-dir.
func parseTestName(v json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("must be a string such as 'checkout', got %s", v)
	}
	return s, checkTestName(s)
}

// checkTestName checks that a test name keeps the test's folder inside
// --results-dir: no "..", no absolute path. "" is the default name.
func checkTestName(s string) error {
	if s == "" || (filepath.IsLocal(s) && filepath.Clean(s) != ".") {
		return nil
	}
	example := filepath.Base(s)
	if example == "." || example == ".." || example == string(filepath.Separator) {
		example = "checkout"
	}
	return fmt.Errorf("%q would put the test's results outside --results-dir: name the test without \"..\" or a leading \"/\", e.g. %q (choose where results go with --results-dir)", s, example)
}

func lastRunNumber(base string) int {
	entries, _ := os.ReadDir(base)
	last := 0
	for _, e := range entries {
		if n, err := strconv.Atoi(e.Name()); err == nil && e.IsDir() && n > last {
			last = n
		}
	}
	return last
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == os.PathSeparator {
			return '_'
		}
		return r
	}, s)
}

// remove deletes the run's temporary folder.
func (d *runDirs) remove() {
	if d != nil && d.cacheHome != "" {
		_ = os.RemoveAll(d.cacheHome)
	}
}

// standardKeys are the keys every VU's dictionary starts with (listed in
// README.md, "The VU data dictionary").
func (t *Test) standardKeys() map[string]any {
	script := t.cfg.Program.Main.Path
	scripts := filepath.Dir(script)
	host, err := os.Hostname()
	if err != nil {
		host = "localhost"
	}
	series := t.Options.TestSeriesName
	if series == "" {
		series = t.TestName()
	}
	return map[string]any{
		"testName":        t.TestName(),
		"runNumber":       int64(t.dirs.number),
		"runPath":         t.dirs.path,
		"scriptsPath":     scripts,
		"dataPath":        scripts,
		"projectName":     filepath.Base(scripts),
		"userHome":        scripts,
		"workspaceName":   filepath.Base(filepath.Dir(scripts)),
		"testSeriesName":  series,
		"cacheHome":       t.dirs.cacheHome,
		"downloadPath":    t.dirs.cacheHome,
		"tracePath":       filepath.Join(t.dirs.cacheHome, "trace"),
		"engineName":      t.engineName(),
		"injectorName":    host,
		"isLocalInjector": t.Plan.whole == nil,
		"debug":           t.cfg.Debug,
	}
}

// engineName is "jsload", followed by the segment in a distributed test
// ("jsload 1/3").
func (t *Test) engineName() string {
	if t.Plan.whole != nil {
		return "jsload " + t.Plan.Segment.String()
	}
	return "jsload"
}

// TestName is options.testName, or the script's file name without extension.
func (t *Test) TestName() string {
	if t.Options.TestName != "" {
		return t.Options.TestName
	}
	base := filepath.Base(t.cfg.Program.Main.Path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}
