//go:build linux

// Command bench is jsload's load benchmark: it builds jsload, starts a target of its
// own on 127.0.0.1, runs fixed scripts and prints one table of speed and memory
// figures, each the median of several runs with their min–max. See README.md.
//
//	go run ./bench                 the whole suite (about 25 minutes)
//	go run ./bench -quick          one run each, shorter durations (about 5 minutes)
//	go run ./bench -only http,idle
//	go run ./bench -only cpu -baseline main    CPU per request beside wrk and main's build
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

// suite holds what every measurement needs.
type suite struct {
	jsload   string // the jsload binary
	baseline string // another jsload binary measured beside it (-baseline), or ""
	taskset  string // path of taskset, "" when unavailable
	tmp      string
	target   *target
	runs     int
	quick    bool
	rows     []row
	warned   []string

	comparisons []cpuComparison // the CPU-per-request scenarios (compare.go)
}

// row is one line of the result table.
type row struct {
	name, unit string
	values     []float64
	bar        string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "goclient" {
		if err := goFloor(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "target" {
		if err := serveTarget(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	runs := flag.Int("runs", 3, "runs per figure (the median is reported)")
	quick := flag.Bool("quick", false, "one run each with shorter durations")
	only := flag.String("only", "", "comma-separated subset: http,cpu,idle,startup,empty,background,handoff,memory,precision")
	bin := flag.String("jsload", "", "measure this jsload binary rather than one built from the working tree")
	baseline := flag.String("baseline", "", "a jsload binary, or a git revision to build, measured beside this one in the cpu figures")
	flag.Parse()
	s := &suite{runs: *runs, quick: *quick, jsload: *bin, baseline: *baseline}
	if s.quick {
		s.runs = 1
	}
	if err := s.setup(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(s.tmp)
	defer s.target.stop()
	fmt.Printf("jsload load benchmark — %s, %d cores, %s\n", cpuModel(), runtime.NumCPU(), time.Now().Format(time.RFC3339))
	steps := []struct {
		name string
		fn   func() error
	}{
		{"http", s.httpThroughput}, {"cpu", s.compare}, {"idle", s.idleMemory}, {"startup", s.startup}, {"empty", s.emptyIterations},
		{"background", s.background}, {"handoff", s.handoff}, {"memory", s.memoryStability}, {"precision", s.precision},
	}
	for _, st := range steps {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), st.name) {
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: %s...\n", st.name)
		if err := st.fn(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", st.name, err)
		}
	}
	s.print()
	s.printComparisons()
	for _, w := range slices.Compact(s.warned) {
		fmt.Printf("warning: %s: figures may be off\n", w)
	}
}

func (s *suite) setup() error {
	var err error
	if s.tmp, err = os.MkdirTemp("", "jsload-bench-"); err != nil {
		return err
	}
	if s.jsload != "" {
		if s.jsload, err = filepath.Abs(s.jsload); err != nil {
			return err
		}
	} else {
		s.jsload = filepath.Join(s.tmp, "jsload")
		build := exec.Command("go", "build", "-o", s.jsload, "./cmd/jsload")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build jsload (run from the repository root): %w", err)
		}
	}
	if s.baseline != "" {
		if s.baseline, err = buildBaseline(s.baseline, s.tmp); err != nil {
			return err
		}
	}
	if p, err := exec.LookPath("taskset"); err == nil && runtime.NumCPU() >= 2 {
		s.taskset = p
	}
	s.target, err = startTarget(s.taskset, "1")
	return err
}

// repeat runs measure s.runs times and returns each run's figures.
func (s *suite) repeat(measure func() (runResult, error)) ([]runResult, error) {
	var out []runResult
	for i := 0; i < s.runs; i++ {
		r, err := measure()
		if err != nil {
			return nil, err
		}
		if r.busy > 0.15 {
			s.warned = append(s.warned, fmt.Sprintf("other processes used %.0f%% of the CPU during a run", 100*r.busy))
		}
		out = append(out, r)
	}
	return out, nil
}

// add records a table row from the runs, mapped to one figure each.
func (s *suite) add(name, unit, bar string, runs []runResult, figure func(runResult) float64) {
	r := row{name: name, unit: unit, bar: bar}
	for _, run := range runs {
		r.values = append(r.values, figure(run))
	}
	s.rows = append(s.rows, r)
}

func (s *suite) print() {
	fmt.Printf("\n%-58s %14s %25s  %s\n", "figure", "median", "min – max", "bar")
	for _, r := range s.rows {
		v := append([]float64(nil), r.values...)
		sort.Float64s(v)
		med := v[len(v)/2]
		fmt.Printf("%-58s %14s %25s  %s\n", r.name, format(med, r.unit),
			format(v[0], r.unit)+" – "+format(v[len(v)-1], r.unit), r.bar)
	}
}

func format(v float64, unit string) string {
	switch unit {
	case "s":
		return fmt.Sprintf("%.3f s", v)
	case "KiB", "MiB", "µs", "ms":
		return fmt.Sprintf("%.1f %s", v, unit)
	case "%":
		return fmt.Sprintf("%.2f %%", v)
	default:
		return fmt.Sprintf("%.0f %s", v, unit)
	}
}

// cpuModel reads the CPU's model name.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// buildBaseline returns the jsload binary to compare with: rev itself when it
// is a file, else jsload built from git revision rev of this repository (a
// copy of its tree under tmp, so the working tree is left alone).
func buildBaseline(rev, tmp string) (string, error) {
	if st, err := os.Stat(rev); err == nil && !st.IsDir() {
		return filepath.Abs(rev)
	}
	src := filepath.Join(tmp, "baseline-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	archive := exec.Command("sh", "-c", `git archive "$1" | tar -x -C "$2"`, "sh", rev, src)
	archive.Stderr = os.Stderr
	if err := archive.Run(); err != nil {
		return "", fmt.Errorf("baseline %q: neither a file nor a git revision (git archive: %w)", rev, err)
	}
	bin := filepath.Join(tmp, "jsload-baseline")
	build := exec.Command("go", "build", "-o", bin, "./cmd/jsload")
	build.Dir, build.Stdout, build.Stderr = src, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build the baseline %s: %w", rev, err)
	}
	return bin, nil
}
