package metrics

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// feed records n seconds of traffic into r, collecting after each second, and
// hands every interval to out. It returns how many rows were written.
func feed(t *testing.T, r *Registry, out Output, n int) int {
	t.Helper()
	b := r.Builtins()
	s := r.NewSink()
	tags := NewTags("status", "200")
	rows := 0
	for sec := range n {
		for i := range 10 {
			s.Add(b.HTTPReqs, tags, 1)
			s.Add(b.HTTPReqDuration, tags, float64(10+i))
			s.AddBool(b.HTTPReqFailed, tags, i == 0)
			s.Add(b.VUs, Tags{}, float64(sec+1))
		}
		iv := r.CollectAt(t0.Add(time.Duration(sec+1) * time.Second))
		if err := out.AddInterval(iv); err != nil {
			t.Fatalf("AddInterval: %v", err)
		}
		rows += len(iv.Series())
	}
	return rows
}

func TestOutputsClosedMidRunAreComplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind  string
		parse func(t *testing.T, data []byte) (rows int)
	}{
		{"json", parseNDJSON},
		{"csv", parseCSV},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "out."+tt.kind)
			out, err := OpenOutput(tt.kind + "=" + path)
			if err != nil {
				t.Fatal(err)
			}
			r := NewRegistry()
			r.SetStart(t0)
			const seconds = 5
			want := feed(t, r, out, seconds)
			// Abort: no totals, Close straight away (twice, as two abort paths might).
			if err := out.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if err := out.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
			if err := out.AddInterval(r.Collect()); !errors.Is(err, ErrOutputClosed) {
				t.Errorf("AddInterval after Close = %v, want ErrOutputClosed", err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.parse(t, data); got != want || want != seconds*4 {
				t.Errorf("file has %d rows, want %d (4 series × %d s)", got, want, seconds)
			}
		})
	}
}

func parseNDJSON(t *testing.T, data []byte) int {
	t.Helper()
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Fatalf("NDJSON does not end with a newline")
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var r row
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d %q: %v", n+1, sc.Text(), err)
		}
		if r.Kind != rowInterval || r.Metric == "" || r.Period != 1 {
			t.Errorf("line %d: %+v", n+1, r)
		}
		if _, err := time.Parse(time.RFC3339Nano, r.Time); err != nil {
			t.Errorf("line %d: time %q: %v", n+1, r.Time, err)
		}
		n++
	}
	return n
}

func parseCSV(t *testing.T, data []byte) int {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("CSV header = %v", recs)
	}
	return len(recs) - 1
}

func TestOutputGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		open func(w *bytes.Buffer) Output
	}{
		{"output.ndjson", func(w *bytes.Buffer) Output { return NewJSONOutput(w) }},
		{"output.csv", func(w *bytes.Buffer) Output { return NewCSVOutput(w) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			out := tt.open(&buf)
			r := NewRegistry()
			r.SetStart(t0)
			feed(t, r, out, 2)
			if err := out.AddTotals(r.Totals()); err != nil {
				t.Fatal(err)
			}
			if err := out.Close(); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tt.name+".golden"), buf.Bytes())
		})
	}
}

func TestOutputCloseWhileWriting(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "out.json")
	out, err := OpenOutput("json=" + path)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRegistry()
	s := r.NewSink()
	var wg sync.WaitGroup
	wg.Go(func() { // the collector keeps writing until the output is closed under it
		for {
			s.Add(r.Builtins().HTTPReqs, Tags{}, 1)
			if err := out.AddInterval(r.Collect()); err != nil {
				if !errors.Is(err, ErrOutputClosed) {
					t.Errorf("AddInterval: %v", err)
				}
				return
			}
		}
	})
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			break
		}
	}
	if err := out.Close(); err != nil { // e.g. from the SIGINT path
		t.Errorf("Close: %v", err)
	}
	wg.Wait()
	data, _ := os.ReadFile(path)
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("line %d is not valid JSON: %q", i+1, line)
		}
	}
}

func TestOpenOutputErrors(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"json", "xml=out.xml", "csv=", "json=" + filepath.Join(t.TempDir(), "missing", "x.json")} {
		if out, err := OpenOutput(spec); err == nil {
			out.Close()
			t.Errorf("OpenOutput(%q) succeeded", spec)
		}
	}
}

func TestOutputsFanOut(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	outs := Outputs{NewJSONOutput(&a), NewCSVOutput(&b)}
	r := NewRegistry()
	feed(t, r, outs, 1)
	if err := outs.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Count(a.String(), "\n") != 4 || strings.Count(b.String(), "\n") != 5 {
		t.Errorf("fan-out wrote %q and %q", a.String(), b.String())
	}
}
