package tests

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jsload/jsload/metrics"
)

// The tests of distributed runs start real jsload processes (this test binary
// re-executed as jsload, see cliEnv) and a real redis-server as coordinator.

// startRedis starts a redis-server of its own on a free loopback port, with
// its files in a temporary folder, and returns its address.
func startRedis(t *testing.T) (string, *server) {
	t.Helper()
	path := external(t, "redis-server", "redis-server")
	port := freePort(t)
	s := startServer(t, path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--protected-mode", "no")
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if pingRedis(addr) {
			return addr, s
		}
		select {
		case <-s.done:
			t.Fatalf("redis-server ended:\n%s", s.log.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("redis-server did not answer on %s:\n%s", addr, s.log.String())
	return "", nil
}

func pingRedis(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, _ := bufio.NewReader(c).ReadString('\n')
	return strings.HasPrefix(line, "+PONG")
}

// target is the test's HTTP target: it records the query of every request.
type target struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string][]map[string]string // by path
}

func newTarget(t *testing.T) *target {
	tg := &target{hits: map[string][]map[string]string{}}
	tg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		q := map[string]string{}
		for k, v := range r.URL.Query() {
			q[k] = v[0]
		}
		tg.mu.Lock()
		tg.hits[r.URL.Path] = append(tg.hits[r.URL.Path], q)
		tg.mu.Unlock()
	}))
	t.Cleanup(tg.Close)
	return tg
}

func (tg *target) got(path string) []map[string]string {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return slices.Clone(tg.hits[path])
}

// proc is one jsload process's outcome.
type proc struct {
	code           int
	stdout, stderr string
}

// runProcs runs one jsload process per argument list at once, in dir, and
// returns their outcomes in order.
func runProcs(t *testing.T, dir string, argLists ...[]string) []proc {
	t.Helper()
	out := make([]proc, len(argLists))
	var wg sync.WaitGroup
	for i, args := range argLists {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), cliEnv+"=1")
			cmd.Dir = dir
			var o, e bytes.Buffer
			cmd.Stdout, cmd.Stderr = &o, &e
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				code = -1
				e.WriteString(err.Error())
			}
			out[i] = proc{code, o.String(), e.String()}
		})
	}
	wg.Wait()
	return out
}

// segmentArgs returns the arguments of the n segments of a run of script.
func segmentArgs(n int, common []string, script string, each func(i int) []string) [][]string {
	lists := make([][]string, n)
	for i := range n {
		args := append([]string{"run", "-q", "--segment", fmt.Sprintf("%d/%d", i, n)}, common...)
		if each != nil {
			args = append(args, each(i)...)
		}
		lists[i] = append(args, script)
	}
	return lists
}

func checkCodes(t *testing.T, ps []proc, want ...int) {
	t.Helper()
	for i, p := range ps {
		if p.code != want[i] {
			t.Errorf("process %d: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", i, p.code, want[i], p.stdout, p.stderr)
		}
	}
}

// shopRun is what a run of testdata/dist/shop.js did, as its target saw it.
type shopRun struct {
	hits, meets []map[string]string
	export      *metrics.Export
}

func runShop(t *testing.T, segments int, coordinator string) shopRun {
	t.Helper()
	tg := newTarget(t)
	dir := t.TempDir()
	script, _ := filepath.Abs("testdata/dist/shop.js")
	common := []string{"--results-dir", dir, "-e", "BASE_URL=" + tg.URL}
	var ps []proc
	export := filepath.Join(dir, "whole.json")
	if segments == 1 {
		ps = runProcs(t, dir, append(append([]string{"run", "-q", "--summary-export", export}, common...), script))
	} else {
		common = append(common, "--coordinator", "redis://"+coordinator+"/0", "--run-id", t.Name(), "--start-timeout", "2m")
		ps = runProcs(t, dir, segmentArgs(segments, common, script, func(i int) []string {
			if i == 0 {
				return []string{"--merged-export", export}
			}
			return nil
		})...)
	}
	checkCodes(t, ps, make([]int, len(ps))...)
	e, err := metrics.ReadExportFile(export)
	if err != nil {
		t.Fatal(err)
	}
	return shopRun{hits: tg.got("/hit"), meets: tg.got("/meet"), export: e}
}

func count(t *testing.T, e *metrics.Export, metric string) float64 {
	t.Helper()
	s, err := e.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	m := s.Metric(metric)
	if m == nil {
		return 0
	}
	return s.Sum(m, metrics.Tags{}).Sum
}

// TestDistributedEqualsOneProcess runs the same script as one process and as
// 3 segment processes joined by a real redis-server: equal iteration and
// request counts (and the target's own count agrees), each VU id once with a
// row of its own, one gapless shared.increment sequence, and one rendezvous
// wave of all 6 VUs spanning the 3 processes.
func TestDistributedEqualsOneProcess(t *testing.T) {
	t.Parallel()
	addr, _ := startRedis(t)
	one := runShop(t, 1, "")
	three := runShop(t, 3, addr)
	for _, r := range []struct {
		name string
		run  shopRun
	}{{"1 process", one}, {"3 segments", three}} {
		if len(r.run.hits) != 60 {
			t.Errorf("%s: the target saw %d requests, want 60", r.name, len(r.run.hits))
		}
		if it, reqs := count(t, r.run.export, "iterations"), count(t, r.run.export, "http_reqs"); it != 60 || reqs != 66 {
			t.Errorf("%s: %v iterations and %v requests in the export, want 60 and 66", r.name, it, reqs)
		}
		var seq []int
		users := map[string]string{} // vu → user
		for _, h := range r.run.hits {
			n, _ := strconv.Atoi(h["n"])
			seq = append(seq, n)
			if u, ok := users[h["vu"]]; ok && u != h["user"] {
				t.Errorf("%s: VU %s had rows %s and %s", r.name, h["vu"], u, h["user"])
			}
			users[h["vu"]] = h["user"]
		}
		slices.Sort(seq)
		for i, n := range seq {
			if n != i+1 {
				t.Fatalf("%s: shared.increment gave %v: not 1..60 once each", r.name, seq)
			}
		}
		distinct := map[string]bool{}
		for vu, u := range users {
			distinct[u] = true
			if u != "user"+vu {
				t.Errorf("%s: VU %s has row %s, want user%s (its own row of the whole test)", r.name, vu, u, vu)
			}
		}
		if len(users) != 6 || len(distinct) != 6 {
			t.Errorf("%s: VUs and their rows %v: want 6 VUs with 6 distinct rows", r.name, users)
		}
		if len(r.run.meets) != 6 {
			t.Errorf("%s: %d VUs left the rendezvous, want 6", r.name, len(r.run.meets))
		}
		for _, m := range r.run.meets {
			if m["released"] != "count" || m["arrived"] != "6" {
				t.Errorf("%s: VU %s left the rendezvous %s with %s VUs, want count with 6", r.name, m["vu"], m["released"], m["arrived"])
			}
		}
	}
}

// TestDistributedAbortTest: abortTest in one segment stops all three.
func TestDistributedAbortTest(t *testing.T) {
	t.Parallel()
	addr, _ := startRedis(t)
	dir := t.TempDir()
	script, _ := filepath.Abs("testdata/dist/abort.js")
	begin := time.Now()
	ps := runProcs(t, dir, segmentArgs(3, []string{"--results-dir", dir, "--coordinator", "redis://" + addr, "--run-id", "abort"}, script, nil)...)
	checkCodes(t, ps, 108, 108, 108)
	if d := time.Since(begin); d > 45*time.Second {
		t.Errorf("the segments ran %v: the abort did not stop the 60 s test", d)
	}
	for i, p := range ps {
		want := "segment 1 aborted the test: abortTest(): segment 1 has seen enough"
		if i == 1 {
			want = "segment 1 has seen enough"
		}
		if !strings.Contains(p.stderr, want) {
			t.Errorf("segment %d: stderr lacks %q:\n%s", i, want, p.stderr)
		}
	}
}

// TestDistributedAbortOnFail: an abortOnFail threshold is judged by segment
// 0 on the whole test's live data: its own requests all pass, the whole
// test's fail a third of the time, and every segment stops with exit 99.
func TestDistributedAbortOnFail(t *testing.T) {
	t.Parallel()
	addr, _ := startRedis(t)
	tg := newTarget(t)
	dir := t.TempDir()
	script, _ := filepath.Abs("testdata/dist/failing.js")
	begin := time.Now()
	ps := runProcs(t, dir, segmentArgs(3, []string{"--results-dir", dir, "-e", "BASE_URL=" + tg.URL,
		"--coordinator", "redis://" + addr, "--run-id", "failing"}, script, nil)...)
	checkCodes(t, ps, 99, 99, 99)
	if d := time.Since(begin); d > 45*time.Second {
		t.Errorf("the segments ran %v: the threshold did not stop the 60 s test", d)
	}
	if !strings.Contains(ps[0].stderr, "threshold http_req_failed 'rate<0.2' failed: test aborted") {
		t.Errorf("segment 0 does not say the threshold aborted the test:\n%s", ps[0].stderr)
	}
	if !strings.Contains(ps[1].stderr, "segment 0 aborted the test") {
		t.Errorf("segment 1 does not say segment 0 aborted the test:\n%s", ps[1].stderr)
	}
}

// TestDistributedMergeThresholds: segments without a coordinator run on their
// own, each passing its thresholds alone; jsload merge of their exports fails
// the test's (exit 99) on the whole test's count, and passes a lower one.
func TestDistributedMergeThresholds(t *testing.T) {
	t.Parallel()
	tg := newTarget(t)
	dir := t.TempDir()
	script, _ := filepath.Abs("testdata/dist/steady.js")
	ps := runProcs(t, dir, segmentArgs(3, []string{"--results-dir", dir, "-e", "BASE_URL=" + tg.URL, "-e", "DURATION=1s",
		"-e", "THRESHOLD=count<30"}, script, func(i int) []string {
		return []string{"--summary-export", filepath.Join(dir, fmt.Sprintf("s%d.json", i))}
	})...)
	checkCodes(t, ps, 0, 0, 0)
	exports := []string{"merge", "-o", filepath.Join(dir, "merged.json")}
	for i := range 3 {
		exports = append(exports, filepath.Join(dir, fmt.Sprintf("s%d.json", i)))
	}
	r := run(t, nil, exports...)
	r.expect(t, 99, []string{"✗ 'count<30'"}, []string{"some thresholds failed"})
	merged, err := metrics.ReadExportFile(filepath.Join(dir, "merged.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, merged, "http_reqs"); int(got) != len(tg.got("/hit")) {
		t.Errorf("merged http_reqs %v, the target saw %d", got, len(tg.got("/hit")))
	}
	if len(merged.Thresholds) != 1 || merged.Thresholds[0].Passed {
		t.Errorf("merged thresholds %+v", merged.Thresholds)
	}
	run(t, nil, append([]string{"merge"}, exports[3:5]...)...).expect(t, 99, nil, []string{"missing segments: 2"})
}

// TestDistributedCoordinatorGone: redis-server is killed mid-run; every
// segment says so once, goes on alone and still writes its export.
func TestDistributedCoordinatorGone(t *testing.T) {
	t.Parallel()
	addr, srv := startRedis(t)
	tg := newTarget(t)
	dir := t.TempDir()
	script, _ := filepath.Abs("testdata/dist/steady.js")
	go func() {
		// Kill the coordinator once the test is well under way.
		deadline := time.Now().Add(60 * time.Second)
		for len(tg.got("/hit")) < 30 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		_ = srv.cmd.Process.Kill()
	}()
	ps := runProcs(t, dir, segmentArgs(3, []string{"--results-dir", dir, "-e", "BASE_URL=" + tg.URL, "-e", "DURATION=3s",
		"--coordinator", "redis://" + addr, "--run-id", "gone"}, script, func(i int) []string {
		return []string{"--summary-export", filepath.Join(dir, fmt.Sprintf("s%d.json", i))}
	})...)
	checkCodes(t, ps, 0, 0, 0)
	var total float64
	for i, p := range ps {
		if n := strings.Count(p.stderr, "unreachable"); n != 1 {
			t.Errorf("segment %d said %d times that the coordinator is unreachable:\n%s", i, n, p.stderr)
		}
		e, err := metrics.ReadExportFile(filepath.Join(dir, fmt.Sprintf("s%d.json", i)))
		if err != nil {
			t.Fatalf("segment %d wrote no export: %v", i, err)
		}
		total += count(t, e, "http_reqs")
	}
	if int(total) != len(tg.got("/hit")) {
		t.Errorf("the exports count %v requests, the target saw %d: some were lost", total, len(tg.got("/hit")))
	}
}

// TestDistributedStartTimeout: a segment that never comes is named.
func TestDistributedStartTimeout(t *testing.T) {
	t.Parallel()
	addr, _ := startRedis(t)
	dir := t.TempDir()
	script, _ := filepath.Abs("testdata/dist/abort.js")
	lists := segmentArgs(3, []string{"--results-dir", dir, "--coordinator", "redis://" + addr, "--run-id", "late", "--start-timeout", "1s"}, script, nil)
	ps := runProcs(t, dir, lists[:2]...)
	checkCodes(t, ps, 108, 108)
	if !strings.Contains(ps[0].stderr, "segments 2 of 3 have not reported ready") {
		t.Errorf("stderr does not name the missing segment:\n%s", ps[0].stderr)
	}
}
