//go:build linux

package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jsload/jsload/metrics"
)

// runResult is what one jsload process did and cost.
type runResult struct {
	wall     time.Duration
	cpu      time.Duration // user + system time of the jsload process
	peakRSS  int64         // bytes
	totals   *metrics.Snapshot
	busy     float64 // share of the machine's CPU used by other processes meanwhile
	requests float64 // requests a reference tool made (see references)
}

// count returns the sum of a counter metric of the run.
func (r runResult) count(name string) float64 {
	if m := r.totals.Metric(name); m != nil {
		return r.totals.Sum(m, metrics.Tags{}).Sum
	}
	return 0
}

// percentile returns percentile p of a trend metric of the run.
func (r runResult) percentile(name string, p float64) float64 {
	if m := r.totals.Metric(name); m != nil {
		return r.totals.Sum(m, metrics.Tags{}).Percentile(p)
	}
	return 0
}

// jsloadRun describes one invocation of the jsload binary.
type jsloadRun struct {
	script string
	args   []string
	env    map[string]string
	cpu    string // taskset CPU list, "" for unpinned
}

// run executes jsload, waits for it, and reads its summary export.
func (s *suite) run(j jsloadRun) (runResult, error) { return s.runWith(s.jsload, j) }

// runWith is run with another jsload binary.
func (s *suite) runWith(bin string, j jsloadRun) (runResult, error) {
	export := filepath.Join(s.tmp, "summary.json")
	_ = os.Remove(export)
	args := []string{"run", "-q", "--results-dir", filepath.Join(s.tmp, "results"), "--summary-export", export}
	for k, v := range j.env {
		args = append(args, "-e", k+"="+v)
	}
	args = append(args, j.args...)
	args = append(args, j.script)
	name := bin
	if j.cpu != "" && s.taskset != "" {
		args = append([]string{"-c", j.cpu, name}, args...)
		name = s.taskset
	}
	res, _, err := s.measure(exec.Command(name, args...))
	if err != nil {
		return runResult{}, fmt.Errorf("jsload %w", err)
	}
	exp, err := metrics.ReadExportFile(export)
	if err != nil {
		return runResult{}, fmt.Errorf("read summary export: %w", err)
	}
	if res.totals, err = exp.Snapshot(); err != nil {
		return runResult{}, err
	}
	return res, nil
}

// measure runs cmd and returns its wall time, CPU time and peak RSS, the share
// of the machine other processes used meanwhile, and its output.
func (s *suite) measure(cmd *exec.Cmd) (runResult, []byte, error) {
	before, targetBefore := readCPUStat(), s.target.cpu()
	begin := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(begin)
	after := readCPUStat()
	if err != nil {
		return runResult{}, out, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args[1:], " "), err, lastLines(out, 15))
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	res := runResult{
		wall:    wall,
		cpu:     time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		peakRSS: ru.Maxrss * 1024,
	}
	res.busy = others(before, after, res.cpu+s.target.cpu()-targetBefore)
	return res, out, nil
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// cpuStat is the machine's busy and total CPU time from /proc/stat.
type cpuStat struct{ busy, total time.Duration }

func readCPUStat() cpuStat {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return cpuStat{}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return cpuStat{}
	}
	fields := strings.Fields(sc.Text())[1:]
	var st cpuStat
	for i, f := range fields {
		v, _ := strconv.ParseInt(f, 10, 64)
		d := time.Duration(v) * 10 * time.Millisecond // USER_HZ = 100
		st.total += d
		if i != 3 && i != 4 { // idle, iowait
			st.busy += d
		}
	}
	return st
}

// others is the share of all CPUs that processes other than ours used between
// before and after.
func others(before, after cpuStat, ours time.Duration) float64 {
	total := after.total - before.total
	if total <= 0 {
		return 0
	}
	other := after.busy - before.busy - ours
	if other < 0 {
		other = 0
	}
	return float64(other) / float64(total)
}
