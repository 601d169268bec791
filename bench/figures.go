//go:build linux

package main

import (
	"fmt"
	"time"
)

func (s *suite) dur(full, quick string) string {
	if s.quick {
		return quick
	}
	return full
}

// httpThroughput: 50 VUs looping http.get on a 100-byte endpoint, pinned (client
// on CPU 0, target on CPU 1) and unpinned: requests/s and client CPU per request.
func (s *suite) httpThroughput() error {
	url := s.target.base + "/bytes?n=100"
	for _, pin := range []struct{ label, cpu string }{{"pinned", "0"}, {"unpinned", ""}} {
		if pin.cpu != "" && s.taskset == "" {
			continue
		}
		runs, err := s.repeat(func() (runResult, error) {
			return s.run(jsloadRun{script: "bench/scripts/http.js", cpu: pin.cpu,
				args: []string{"--vus", "50", "--duration", s.dur("10s", "3s")}, env: map[string]string{"URL": url}})
		})
		if err != nil {
			return err
		}
		s.add("HTTP throughput, 50 VUs, 100-byte GET, "+pin.label, "req/s", "pinned ≥ 39,400 (2× k6)", runs,
			func(r runResult) float64 { return r.count("http_reqs") / r.wall.Seconds() })
		s.add("  client CPU per request, "+pin.label, "µs", "≤ 25 µs (k6: 51)", runs,
			func(r runResult) float64 { return float64(r.cpu.Microseconds()) / max(r.count("http_reqs"), 1) })
	}
	return nil
}

// idleMemory: peak RSS of 1,000 and 5,000 VUs looping sleep(1), per VU.
func (s *suite) idleMemory() error {
	for _, n := range []int{1000, 5000} {
		runs, err := s.repeat(func() (runResult, error) {
			return s.run(jsloadRun{script: "bench/scripts/idle.js",
				args: []string{"--vus", fmt.Sprint(n), "--duration", s.dur("15s", "5s")}})
		})
		if err != nil {
			return err
		}
		s.add(fmt.Sprintf("idle VU memory, %d VUs: peak RSS per VU", n), "KiB", "≤ 64 KiB (k6: 140–165)", runs,
			func(r runResult) float64 { return float64(r.peakRSS) / 1024 / float64(n) })
	}
	return nil
}

// startup: wall time of --vus N --iterations N on an empty script.
func (s *suite) startup() error {
	for _, n := range []int{1000, 5000} {
		runs, err := s.repeat(func() (runResult, error) {
			return s.run(jsloadRun{script: "bench/scripts/empty.js", args: []string{"--vus", fmt.Sprint(n), "--iterations", fmt.Sprint(n)}})
		})
		if err != nil {
			return err
		}
		bar := "≤ 0.1 s (k6: 0.18)"
		if n == 5000 {
			bar = "≤ 0.4 s (k6: ~0.8)"
		}
		s.add(fmt.Sprintf("start-up, --vus %d --iterations %d, wall time", n, n), "s", bar, runs,
			func(r runResult) float64 { return r.wall.Seconds() })
	}
	return nil
}

// emptyIterations: empty iterations per second on one and two VUs.
func (s *suite) emptyIterations() error {
	for _, n := range []int{1, 2} {
		runs, err := s.repeat(func() (runResult, error) {
			return s.run(jsloadRun{script: "bench/scripts/empty.js", args: []string{"--vus", fmt.Sprint(n), "--duration", s.dur("10s", "3s")}})
		})
		if err != nil {
			return err
		}
		s.add(fmt.Sprintf("empty iterations, %d VU(s)", n), "it/s", "≥ 500,000 on 1 VU (k6: ~254k)", runs,
			func(r runResult) float64 { return r.count("iterations") / r.totals.Elapsed().Seconds() })
	}
	return nil
}

// background: peak RSS of 1,000 VUs each with a looping poller, and the create →
// running → stopped round trip of a small background script.
func (s *suite) background() error {
	runs, err := s.repeat(func() (runResult, error) {
		return s.run(jsloadRun{script: "bench/scripts/bgpoller.js", args: []string{"--vus", "1000", "--duration", s.dur("15s", "5s")}})
	})
	if err != nil {
		return err
	}
	s.add("1,000 VUs with one looping background poller, peak RSS", "MiB", "≤ 161 MiB (k6's 1,000 plain VUs)", runs,
		func(r runResult) float64 { return float64(r.peakRSS) / (1 << 20) })
	runs, err = s.repeat(func() (runResult, error) {
		return s.run(jsloadRun{script: "bench/scripts/bgroundtrip.js", args: []string{"--iterations", "4"}})
	})
	if err != nil {
		return err
	}
	s.add("background script create → running → stopped, p50", "µs", "≤ 100 µs", runs,
		func(r runResult) float64 { return r.percentile("bg_roundtrip", 50) * 1000 })
	return nil
}

// handoff: waitFor wake-up from a background script's set to the main script.
func (s *suite) handoff() error {
	runs, err := s.repeat(func() (runResult, error) {
		return s.run(jsloadRun{script: "bench/scripts/handoff.js", args: []string{"--iterations", "1"}})
	})
	if err != nil {
		return err
	}
	s.add("dictionary hand-off wake-up, p50", "µs", "≤ 20 µs", runs,
		func(r runResult) float64 { return r.percentile("handoff_wakeup", 50) * 1000 })
	s.add("dictionary hand-off wake-up, p99", "µs", "≤ 100 µs", runs,
		func(r runResult) float64 { return r.percentile("handoff_wakeup", 99) * 1000 })
	return nil
}

// memoryStability: peak RSS after 1 M and after 5 M requests (50 VUs).
func (s *suite) memoryStability() error {
	url := s.target.base + "/bytes?n=100"
	counts := []int{1_000_000, 5_000_000}
	if s.quick {
		counts = []int{200_000, 1_000_000}
	}
	var peaks []runResult
	for _, n := range counts {
		r, err := s.run(jsloadRun{script: "bench/scripts/http.js", args: []string{"--vus", "50", "--iterations", fmt.Sprint(n)},
			env: map[string]string{"URL": url}})
		if err != nil {
			return err
		}
		peaks = append(peaks, r)
		s.add(fmt.Sprintf("peak RSS after %d requests", n), "MiB", "", []runResult{r},
			func(r runResult) float64 { return float64(r.peakRSS) / (1 << 20) })
	}
	s.add(fmt.Sprintf("  RSS growth from %d to %d requests", counts[0], counts[1]), "MiB", "≤ 20 MiB (k6 keeps every sample)",
		[]runResult{peaks[1]}, func(r runResult) float64 { return float64(r.peakRSS-peaks[0].peakRSS) / (1 << 20) })
	return nil
}

// precision: 100 VUs on a 100 ms endpoint for 10 s, achieved vs theoretical req/s.
func (s *suite) precision() error {
	url := s.target.base + "/delay?ms=100"
	d := s.dur("10s", "5s")
	secs, _ := time.ParseDuration(d)
	runs, err := s.repeat(func() (runResult, error) {
		return s.run(jsloadRun{script: "bench/scripts/http.js", args: []string{"--vus", "100", "--duration", d},
			env: map[string]string{"URL": url}})
	})
	if err != nil {
		return err
	}
	s.add("scheduling precision, 100 VUs on a 100 ms endpoint", "%", "≥ 99 % (k6: 98.2)", runs,
		func(r runResult) float64 { return 100 * r.count("http_reqs") / (1000 * secs.Seconds()) })
	return nil
}
