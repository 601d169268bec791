package scheduler

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jsload/jsload/jsruntime"
)

// benchTest prepares testdata/empty.js with options and iterations that sleep
// sleep seconds (0 for none).
func benchTest(b *testing.B, options, sleep string) *Test {
	b.Helper()
	prog := loadEmpty(b)
	env := map[string]string{"OPTIONS": options}
	if sleep != "" {
		env["SLEEP"] = sleep
	}
	test, err := New(Config{Program: prog, Env: env, ThinkTimeFactor: 1, ResultsDir: b.TempDir(), PreciseTimers: os.Getenv("JSLOAD_GO_TIMERS") == ""})
	if err != nil {
		b.Fatal(err)
	}
	return test
}

// BenchmarkConstantArrivalRate starts 2,000 empty iterations/s for 10s and reports
// the share of the planned iterations that started and the start-time jitter
// (actual start minus planned start, as the VU begins the iteration). Run it with
// -benchtime=1x: each run takes 10s. It starts them on the high-resolution
// timer, as jsload run does; JSLOAD_GO_TIMERS=1 uses Go's timers instead, for
// comparison.
func BenchmarkConstantArrivalRate(b *testing.B) {
	for b.Loop() {
		test := benchTest(b, `{"groups": {"api": {"executor": "constant-arrival-rate", "rate": 2000, "duration": "10s",
			"preAllocatedVUs": 50, "maxVUs": 200}}}`, "")
		var mu sync.Mutex
		jitter := make([]time.Duration, 0, 20000)
		test.startHook = func(planned, actual time.Time) {
			mu.Lock()
			jitter = append(jitter, actual.Sub(planned))
			mu.Unlock()
		}
		res, err := test.Run(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		slices.Sort(jitter)
		pct := func(p float64) float64 {
			return float64(jitter[int(p*float64(len(jitter)-1))]) / float64(time.Millisecond)
		}
		b.ReportMetric(100*float64(res.Count("iterations"))/20000, "%started")
		b.ReportMetric(float64(res.Count("dropped_iterations")), "dropped")
		b.ReportMetric(pct(0.5), "ms-jitter-p50")
		b.ReportMetric(pct(0.99), "ms-jitter-p99")
		b.ReportMetric(pct(1), "ms-jitter-max")
	}
}

// BenchmarkClosedModel runs 100 VUs looping sleep(0.1) for 10s and reports the
// share of the theoretical 10,000 iterations they completed (the scheduler's own
// overhead between iterations). Run it with -benchtime=1x.
func BenchmarkClosedModel(b *testing.B) {
	for b.Loop() {
		test := benchTest(b, `{"vus": 100, "duration": "10s"}`, "0.1")
		res, err := test.Run(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(100*float64(res.Count("iterations"))/10000, "%theoretical")
	}
}

// BenchmarkInit5000VUs runs 5,000 VUs of one empty iteration each: almost all of
// the time is the VUs' initialisation.
func BenchmarkInit5000VUs(b *testing.B) {
	for b.Loop() {
		test := benchTest(b, `{"vus": 5000, "iterations": 5000}`, "")
		begin := time.Now()
		if _, err := test.Run(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(begin).Seconds(), "s/run")
	}
}

// BenchmarkEmptyIterations runs b.N empty iterations on one VU through the
// scheduler's VU loop (dictionary update, iteration, outcome recorded, and the
// end of the iteration's browser) with a closed-model executor: ns/op is the
// cost of one iteration, the VUs' initialisation amortised over b.N. The
// -browser-per-VU variants keep one browser (newBrowserEachIteration: false).
func BenchmarkEmptyIterations(b *testing.B) {
	for _, executor := range []string{"shared-iterations", "per-vu-iterations"} {
		for _, perVU := range []bool{false, true} {
			name := executor
			if perVU {
				name += "-browser-per-VU"
			}
			b.Run(name, func(b *testing.B) { benchEmptyIterations(b, executor, !perVU) })
		}
	}
}

func benchEmptyIterations(b *testing.B, executor string, newBrowser bool) {
	test := benchTest(b, fmt.Sprintf(`{"groups": {"g": {"executor": %q, "vus": 1, "iterations": %d, "newBrowserEachIteration": %v}}}`, executor, b.N, newBrowser), "")
	b.ResetTimer()
	res, err := test.Run(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	if n := res.Count("iterations"); n != int64(b.N) {
		b.Fatalf("%d iterations, want %d", n, b.N)
	}
}

func loadEmpty(b *testing.B) *jsruntime.Program {
	b.Helper()
	prog, err := jsruntime.Load("testdata/empty.js", jsruntime.BuiltinModules())
	if err != nil {
		b.Fatal(err)
	}
	return prog
}
