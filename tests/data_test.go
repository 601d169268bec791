package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestDataErrorsBeforeStart: bad data stops the run before any VU starts, naming
// the file and where.
func TestDataErrorsBeforeStart(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		script string
		stderr []string
	}{
		{"testdata/badcsv.js", []string{"data/bad.csv:2:1", "quote"}},
		{"testdata/missingdata.js", []string{"nope.csv"}},
		{"testdata/badmode.js", []string{`"per-user"`, "per-vu"}},
	} {
		run(t, nil, "run", tt.script).expect(t, cli.ExitScriptError, nil, tt.stderr)
	}
}

// TestRunNumberIncrements runs the same test twice: runNumber counts the runs and
// runPath is a folder that exists.
func TestRunNumberIncrements(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	line := regexp.MustCompile(`run (\d+) at (\S+) test runinfo-e2e`)
	for want := 1; want <= 2; want++ {
		r := run(t, nil, "run", "--results-dir", dir, "testdata/runinfo.js")
		m := line.FindStringSubmatch(r.stderr)
		if r.code != cli.ExitOK || m == nil {
			t.Fatalf("run %d: exit %d, output:\n%s", want, r.code, r.stderr)
		}
		if m[1] != string(rune('0'+want)) {
			t.Errorf("run %d: runNumber %s", want, m[1])
		}
		if st, err := os.Stat(m[2]); err != nil || !st.IsDir() || filepath.Dir(m[2]) != filepath.Join(dir, "runinfo-e2e") {
			t.Errorf("runPath %s: %v", m[2], err)
		}
	}
}

func TestTableCursor(t *testing.T) {
	t.Parallel()
	run(t, nil, "run", "testdata/cursor.js").expect(t, cli.ExitOK, nil, []string{"cursor ok"})
}

func TestExhaustedNamesVU(t *testing.T) {
	t.Parallel()
	run(t, nil, "run", "-q", "testdata/exhausted.js").expect(t, cli.ExitOK, nil,
		[]string{`rows.csv): rows ran out (VU 1, iteration 1): onExhausted "last" keeps using the last row`})
}

// TestDataNotUTF8: a CSV file with bytes that are not UTF-8 is warned about
// once, naming the file and line, instead of turning them into U+FFFD without
// a word; with its encoding declared it reads right.
func TestDataNotUTF8(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "testdata/latin1.js")
	r.expect(t, cli.ExitOK, nil, []string{"WARN ", "testdata/data/latin1.csv:3: bytes that are not UTF-8 (1 row)", "encoding: 'windows-1252'", "user Ren\uFFFD of S\uFFFDte"})
	if n := strings.Count(r.stderr, "not UTF-8"); n != 1 {
		t.Errorf("warned %d times, want once:\n%s", n, r.stderr)
	}
	r = run(t, nil, "run", "-e", "ENCODING=windows-1252", "testdata/latin1.js")
	r.expect(t, cli.ExitOK, nil, []string{"user René of Sète"})
	if strings.Contains(r.stderr, "not UTF-8") {
		t.Errorf("warned with the encoding declared:\n%s", r.stderr)
	}
}
