//go:build linux

// Command bench is jsload's load benchmark: it builds jsload, starts a target of its
// own on 127.0.0.1, runs fixed scripts and prints one table of speed and memory
// figures, each the median of several runs with their min–max. See README.md.
//
//	go run ./bench            the whole suite (about 15 minutes)
//	go run ./bench -quick     one run each, shorter durations (about 3 minutes)
//	go run ./bench -only http,idle
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
	jsload  string // the jsload binary
	taskset string // path of taskset, "" when unavailable
	tmp     string
	target  *target
	runs    int
	quick   bool
	rows    []row
	warned  []string
}

// row is one line of the result table.
type row struct {
	name, unit string
	values     []float64
	bar        string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "target" {
		if err := serveTarget(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	runs := flag.Int("runs", 3, "runs per figure (the median is reported)")
	quick := flag.Bool("quick", false, "one run each with shorter durations")
	only := flag.String("only", "", "comma-separated subset: http,idle,startup,empty,background,handoff,memory,precision")
	flag.Parse()
	s := &suite{runs: *runs, quick: *quick}
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
		{"http", s.httpThroughput}, {"idle", s.idleMemory}, {"startup", s.startup}, {"empty", s.emptyIterations},
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
}

func (s *suite) setup() error {
	var err error
	if s.tmp, err = os.MkdirTemp("", "jsload-bench-"); err != nil {
		return err
	}
	s.jsload = filepath.Join(s.tmp, "jsload")
	build := exec.Command("go", "build", "-o", s.jsload, "./cmd/jsload")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build jsload (run from the repository root): %w", err)
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
	for _, w := range slices.Compact(s.warned) {
		fmt.Printf("warning: %s: figures may be off\n", w)
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
