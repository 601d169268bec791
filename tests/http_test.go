package tests

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
)

// hungTarget accepts connections, reads what comes and never answers; it
// closes them when the test ends.
func hungTarget(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { _, _ = io.Copy(io.Discard, c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String() + "/"
}

// A target that never answers must not read as a green run: the requests the
// end of the test cuts are failed requests with their duration so far, the
// thresholds on them fail (exit code 99), the summary counts them, and a
// threshold left without samples says so.
func TestHungTargetFailsThresholds(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "-q", "-e", "HUNG="+hungTarget(t), "testdata/hung.js")
	r.expect(t, 99, []string{
		"✗ 'rate<0.01' rate=100.00%",
		"? 'p(95)<500' no data",
		"1 threshold had no data",
		"cut by the stop (failed, error_code 1060, tagged interrupted=true)",
	}, nil)
	if !regexp.MustCompile(`✗ 'p\(95\)<500' p\(95\)=[0-9.]+(ms|s)`).MatchString(r.stdout) {
		t.Errorf("http_req_duration's threshold does not fail on the cut requests' durations:\n%s", r.stdout)
	}
	if m := regexp.MustCompile(`(\d+) requests? cut by the stop`).FindStringSubmatch(r.stdout); m == nil || m[1] == "0" {
		t.Errorf("no count of the cut requests:\n%s", r.stdout)
	}
}

// options.maxResponseBodySize reaches every request.
func TestBodyLimitOption(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(make([]byte, 100))
	}))
	defer srv.Close()
	r := run(t, nil, "run", "-q", "-e", "BASE="+srv.URL, "testdata/bodylimit.js")
	r.expect(t, 0, []string{"✓ past the option: 1702", "✓ the param wins"}, nil)
}
