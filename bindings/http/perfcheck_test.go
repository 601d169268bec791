package http_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jsload/jsload/jsruntime"
)

// The CI performance check. TestPerfRatio measures, in the same run on the
// same machine, the CPU per request of a VU looping http.get and of the least
// a Go client can do for the same requests (rawClient: bytes written and read
// by hand on one kept-alive connection, on the test's goroutine, as the VU's
// transport does), and fails when jsload's ratio to it is clearly above the
// one recorded below: a change that doubles jsload's CPU per request cannot
// land unnoticed, however slow the machine, since both sides slow down
// together. (net/http's client was the first reference, but its goroutines
// and their hand-offs slow down more than jsload on a loaded machine, which
// hid a doubling.) It measures the process's CPU time (getrusage), not wall
// time, against a target in another process (whose CPU is not counted), in
// alternating rounds, and takes each side's quickest round: other processes
// only ever add to a round.
//
// perfRecorded holds the ratios measured on a quiet machine (a 2-core VM,
// 2026-12) with and without the race detector, which slows the two sides
// differently. When a change is meant to move a ratio, measure it again
// (go test -run TestPerfRatio -v ./bindings/http/, with and without -race)
// and record the new figure. JSLOAD_PERFCHECK_WORK=2 makes the VU do each
// request twice while counting it once: the check then fails, as it must for
// a change that doubles the work.

// perfFailFactor is how far above its recorded ratio a ratio fails.
const perfFailFactor = 1.5

// perfRound is the CPU time aimed at for each side of a round.
const perfRound = 120 * time.Millisecond

// perfRounds is how many rounds each side runs.
const perfRounds = 7

// perfScenario is one load of the check.
type perfScenario struct {
	name string
	url  func(benchTargetURLs) string
}

var perfScenarios = []perfScenario{
	{"plain GET, 100 bytes", func(u benchTargetURLs) string { return u.plain + "/bytes?n=100" }},
	{"HTTPS GET, TLS HTTP/1.1", func(u benchTargetURLs) string { return u.tls + "/bytes?n=100" }},
	{"GET of 100 KiB", func(u benchTargetURLs) string { return u.plain + "/bytes?n=102400" }},
}

func TestPerfRatio(t *testing.T) { // not parallel: it measures the process's CPU time
	if testing.Short() {
		t.Skip("a performance check: not with -short")
	}
	if cpuTime() == 0 {
		t.Skip("no CPU time of the process on this system")
	}
	work := 1
	if w := os.Getenv("JSLOAD_PERFCHECK_WORK"); w != "" {
		var err error
		if work, err = strconv.Atoi(w); err != nil || work < 1 {
			t.Fatalf("JSLOAD_PERFCHECK_WORK=%q: want a whole number of requests per request counted", w)
		}
	}
	urls := startBenchTarget(t)
	for i, sc := range perfScenarios {
		url := sc.url(urls)
		vu, _ := newVU(t, "perf.js", map[string]string{"URL": url, "WORK": strconv.Itoa(work)})
		jsload := func() error { return vu.Iterate(context.Background(), jsruntime.FuncDefault, 0, 0) }
		raw, err := newRawClient(url)
		if err != nil {
			t.Fatalf("%s: %v", sc.name, err)
		}
		js, ref, err := perfRoundsOf(jsload, raw.get)
		raw.conn.Close()
		vu.Close()
		if err != nil {
			t.Fatalf("%s: %v", sc.name, err)
		}
		recorded := perfRecorded[i]
		ratio, ok := perfVerdict(js, ref, recorded)
		t.Logf("%s: jsload %.1f µs/request, raw client %.1f µs (the quickest of the rounds %.0f and %.0f); ratio %.2f (see perfVerdict), recorded %.2f, fails above %.2f",
			sc.name, slices.Min(js), slices.Min(ref), js, ref, ratio, recorded, recorded*perfFailFactor)
		if !ok {
			t.Errorf("%s: jsload's CPU per request is %.2f times the raw client's, recorded %.2f: more than %.1f times the recorded ratio; "+
				"if the change meant it, record the new ratio in perfRecorded (see perfcheck_test.go)", sc.name, ratio, recorded, perfFailFactor)
		}
	}
}

// perfVerdict is jsload's ratio to the reference, and whether it passes: at
// most perfFailFactor times the recorded one. The ratio is the lower of the
// quickest rounds' ratio and the lowest ratio of two rounds run one after
// the other: a round of the reference that alone had the machine to itself
// (the other tests' packages left it for a moment) then fails nothing, while
// a change that doubles jsload's work doubles both.
func perfVerdict(js, ref []float64, recorded float64) (float64, bool) {
	ratio := slices.Min(js) / slices.Min(ref)
	for i := range min(len(js), len(ref)) {
		ratio = min(ratio, js[i]/ref[i])
	}
	return ratio, ratio <= recorded*perfFailFactor
}

// perfRoundsOf runs the two loops in alternating rounds after a warm-up,
// and returns each round's CPU per call, in µs.
func perfRoundsOf(a, b func() error) (as, bs []float64, err error) {
	var n [2]int
	for i, f := range []func() error{a, b} {
		// The warm-up connects, and tells how many calls make a round.
		const warm = 20
		cpu0 := cpuTime()
		for range warm {
			if err := f(); err != nil {
				return nil, nil, err
			}
		}
		per := max((cpuTime()-cpu0)/warm, time.Microsecond)
		n[i] = max(int(perfRound/per), 20)
	}
	for range perfRounds {
		for i, f := range []func() error{a, b} {
			cpu0 := cpuTime()
			for range n[i] {
				if err := f(); err != nil {
					return nil, nil, err
				}
			}
			us := float64(cpuTime()-cpu0) / float64(time.Microsecond) / float64(n[i])
			if i == 0 {
				as = append(as, us)
			} else {
				bs = append(bs, us)
			}
		}
	}
	return as, bs, nil
}

func TestPerfVerdict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		js, ref  []float64
		recorded float64
		ok       bool
	}{
		{[]float64{30, 21, 25}, []float64{29, 30, 40}, 0.70, true},                                          // 0.72: as recorded
		{[]float64{31, 30, 45}, []float64{29, 30, 40}, 0.70, true},                                          // 1.03: within 1.5x
		{[]float64{42, 44, 90}, []float64{29, 30, 40}, 0.70, false},                                         // 1.45: doubled
		{[]float64{42, 44, 90}, []float64{58, 60, 80}, 0.70, true},                                          // both doubled: a slow machine
		{[]float64{103, 111, 117, 109, 104, 104, 115}, []float64{91, 85, 94, 42, 89, 92, 100}, 1.40, true},  // one quiet round of the reference
		{[]float64{206, 222, 234, 218, 208, 208, 230}, []float64{91, 85, 94, 42, 89, 92, 100}, 1.40, false}, // and jsload doubled
	}
	for _, tt := range tests {
		if _, ok := perfVerdict(tt.js, tt.ref, tt.recorded); ok != tt.ok {
			t.Errorf("perfVerdict(%v, %v, %v) = %v, want %v", tt.js, tt.ref, tt.recorded, ok, tt.ok)
		}
	}
}

// rawClient makes GETs of one URL on one kept-alive connection, writing the
// request's bytes and reading the response's by hand: its head up to the
// Content-Length, its body into a buffer it reuses.
type rawClient struct {
	conn net.Conn
	br   *bufio.Reader
	req  []byte
	body []byte
}

func newRawClient(rawURL string) (*rawClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "https" {
		conn = tls.Client(conn, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the target's certificate is self-signed
	}
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: perfcheck\r\n\r\n"
	return &rawClient{conn: conn, br: bufio.NewReader(conn), req: []byte(req)}, nil
}

func (c *rawClient) get() error {
	if _, err := c.conn.Write(c.req); err != nil {
		return err
	}
	length := -1
	for first := true; ; first = false {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if first && !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
			return fmt.Errorf("response %q", line)
		}
		if len(line) == 0 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && strings.EqualFold(string(k), "Content-Length") {
			if length, err = strconv.Atoi(strings.TrimSpace(string(v))); err != nil {
				return err
			}
		}
	}
	if length < 0 {
		return errors.New("no Content-Length")
	}
	if cap(c.body) < length {
		c.body = make([]byte, length)
	}
	_, err := io.ReadFull(c.br, c.body[:length])
	return err
}
