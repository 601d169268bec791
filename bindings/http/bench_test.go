package http_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings/http/internal/h1"
	"github.com/jsload/jsload/jsruntime"
)

// benchServerEnv makes the test binary serve the benchmark target instead of
// running tests (see BenchmarkGetCPU).
const benchServerEnv = "JSLOAD_HTTP_BENCH_SERVER"

// benchTarget answers /bytes?n=N with N bytes (100 without n, at most 1 MiB).
var benchTarget = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 0 || n > len(benchBody) {
		n = 100
	}
	w.Header().Set("Content-Length", strconv.Itoa(n)) // for the raw client of TestPerfRatio
	_, _ = w.Write(benchBody[:n])
})

var benchBody = bytes.Repeat([]byte("x"), 1<<20)

// BenchmarkGet measures one `http.get` of a 100-byte response, with a status
// check, through a real VU runtime (testdata/bench.js), the target in the same
// process: ns/op counts the client and the server.
func BenchmarkGet(b *testing.B) {
	srv := httptest.NewServer(benchTarget)
	defer srv.Close()
	vu, _ := newVU(b, "bench.js", map[string]string{"URL": srv.URL + "/bytes"})
	ctx := context.Background()
	if err := vu.Iterate(ctx, jsruntime.FuncDefault, 0, 0); err != nil { // connect before timing
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		if err := vu.Iterate(ctx, jsruntime.FuncDefault, int64(i), int64(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}

// BenchmarkGetCPU measures the CPU the client spends per request: the target runs
// in another process (this test binary, see TestMain), so the process's CPU time
// (getrusage) is the client's alone. vus=N runs N VUs, each looping `http.get`;
// h1=N is the floor of that: N goroutines looping on jsload's own HTTP/1.1
// transport, without JavaScript or metrics; nethttp=N the same on a plain
// net/http client. Pin the processes to compare with k6, e.g.
// JSLOAD_BENCH_TARGET_CPU=1 taskset -c 0 go test -run xxx -bench GetCPU -cpu 1.
func BenchmarkGetCPU(b *testing.B) {
	url := startBenchTarget(b).plain + "/bytes"
	for _, n := range []int{1, 50} {
		b.Run(fmt.Sprintf("vus=%d", n), func(b *testing.B) {
			loops := make([]func() error, n)
			for i := range loops {
				vu, _ := newVU(b, "bench.js", map[string]string{"URL": url})
				loops[i] = func() error { return vu.Iterate(context.Background(), jsruntime.FuncDefault, 0, 0) }
			}
			measureCPU(b, loops)
		})
	}
	floors := []struct {
		name string
		tr   func() http.RoundTripper
	}{
		{"h1", func() http.RoundTripper { return new(h1.Transport) }},
		{"nethttp", func() http.RoundTripper { return &http.Transport{MaxIdleConnsPerHost: 50} }},
	}
	for _, f := range floors {
		for _, n := range []int{1, 50} {
			b.Run(fmt.Sprintf("%s=%d", f.name, n), func(b *testing.B) {
				client := &http.Client{Transport: f.tr()}
				defer client.CloseIdleConnections()
				loops := make([]func() error, n)
				for i := range loops {
					loops[i] = func() error {
						resp, err := client.Get(url)
						if err != nil {
							return err
						}
						_, err = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						return err
					}
				}
				measureCPU(b, loops)
			})
		}
	}
}

// measureCPU runs b.N calls spread over the loops, each loop on its own goroutine
// after one warm-up call, and reports the process's CPU time per call and the
// calls per second.
func measureCPU(b *testing.B, loops []func() error) {
	for _, loop := range loops {
		if err := loop(); err != nil { // connect before timing
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(loops))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, t0 := cpuTime(), time.Now()
	for _, loop := range loops {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := loop(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/req")
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "req/s")
}

// benchTargetURLs are the bases of the target process's two listeners.
type benchTargetURLs struct {
	plain string // http://
	tls   string // https:// with a self-signed certificate, HTTP/1.1 only
}

// startBenchTarget runs the target in a child process and returns its URLs;
// the child exits when its stdin closes (when the test or benchmark ends, or
// this process dies). JSLOAD_BENCH_TARGET_CPU pins it (taskset -c).
func startBenchTarget(tb testing.TB) benchTargetURLs {
	tb.Helper()
	self, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	args := []string{self}
	if cpu := os.Getenv("JSLOAD_BENCH_TARGET_CPU"); cpu != "" {
		args = append([]string{"taskset", "-c", cpu}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), benchServerEnv+"=1", "GOMAXPROCS=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	lines := bufio.NewReader(stdout)
	var urls [2]string
	for i := range urls {
		line, err := lines.ReadString('\n')
		if err != nil {
			tb.Fatalf("bench target: %v", err)
		}
		urls[i] = strings.TrimSpace(line)
	}
	return benchTargetURLs{plain: urls[0], tls: urls[1]}
}

// serveBenchTarget is the child process of startBenchTarget.
func serveBenchTarget() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	secure := httptest.NewUnstartedServer(benchTarget)
	secure.Config.ErrorLog = log.New(io.Discard, "", 0)
	secure.StartTLS()
	fmt.Printf("http://%s\n%s\n", l.Addr(), secure.URL)
	go func() { _, _ = bufio.NewReader(os.Stdin).ReadByte(); os.Exit(0) }()
	_ = http.Serve(l, benchTarget)
}
