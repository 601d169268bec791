package tests

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/internal/testnet"
	"github.com/jsload/jsload/metrics"
)

// runTotals reads the totals of a run back from its folder's summary export:
// jsload's own request count and p(95) of http_req_duration (ms).
func runTotals(t *testing.T, r result) (requests, p95 float64) {
	t.Helper()
	e, err := metrics.ReadExportFile(filepath.Join(runFolder(t, r), "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	requests = s.Sum(s.Metric("http_reqs"), metrics.Tags{}).Sum
	p95 = s.Sum(s.Metric("http_req_duration"), metrics.Tags{}).Percentile(95)
	if requests != 300 || p95 <= 0 {
		t.Fatalf("the run made %g requests with p(95) %g ms, want 300", requests, p95)
	}
	return requests, p95
}

// TestPrometheusRoundTrip runs a test with --out prometheus= against a real
// Prometheus (remote-write receiver, native histograms), then queries it:
// the request count and p(95) are jsload's own.
func TestPrometheusRoundTrip(t *testing.T) {
	t.Parallel()
	bin := external(t, "prometheus", "prometheus")
	dir := t.TempDir()
	config := filepath.Join(dir, "prometheus.yml")
	writeFile(t, config, "global:\n  scrape_interval: 1h\n")
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	srv := startServer(t, bin, "--config.file="+config, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--web.enable-remote-write-receiver", "--enable-feature=native-histograms")
	srv.waitReady(t, "http://"+addr+"/-/ready")

	r := run(t, nil, "run", "-q", "--demo", "--out", "prometheus=http://"+addr+"/api/v1/write?histograms=native", "testdata/outputs.js")
	r.expect(t, cli.ExitOK, nil, nil)
	if strings.Contains(r.stderr, "--out") {
		t.Errorf("the output reported a problem:\n%s", r.stderr)
	}
	requests, p95 := runTotals(t, r)

	query := func(q string) float64 {
		var resp struct {
			Data struct {
				Result []struct {
					Value [2]any `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		queryJSON(t, "http://"+addr+"/api/v1/query", url.Values{"query": {q}}, &resp)
		if len(resp.Data.Result) != 1 {
			t.Fatalf("%s: %d results, want 1 (Prometheus log:\n%s)", q, len(resp.Data.Result), srv.log.String())
		}
		return parseFloat(t, resp.Data.Result[0].Value[1])
	}
	if got := query("sum(jsload_http_reqs_total)"); got != requests {
		t.Errorf("Prometheus counts %g requests, jsload %g", got, requests)
	}
	if got := query(`jsload_http_req_duration_p95{name="products"}`) * 1000; !nearlyEqual(got, p95) {
		t.Errorf("Prometheus has p(95) %g ms, jsload %g ms", got, p95)
	}
	// The native histogram agrees within its resolution (2^(1/32): 2.2%).
	if got := query(`histogram_quantile(0.95, jsload_http_req_duration{name="products"})`) * 1000; abs(got-p95)/p95 > 0.05 {
		t.Errorf("histogram_quantile(0.95) of the native histogram is %g ms, jsload's p(95) %g ms", got, p95)
	}
}

// TestInfluxDBRoundTrip runs a test with --out influxdb= against a real
// InfluxDB 1.x, then queries it: the interval points add up to the request
// count, and the run's totals point has jsload's p(95).
func TestInfluxDBRoundTrip(t *testing.T) {
	t.Parallel()
	bin := external(t, "influxd", "influxdb")
	dir := t.TempDir()
	httpAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	config := filepath.Join(dir, "influxdb.conf")
	writeFile(t, config, fmt.Sprintf(`reporting-disabled = true
bind-address = "127.0.0.1:%d"
[meta]
  dir = %q
[data]
  dir = %q
  wal-dir = %q
[http]
  enabled = true
  bind-address = %q
  log-enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
`, freePort(t), filepath.Join(dir, "meta"), filepath.Join(dir, "data"), filepath.Join(dir, "wal"), httpAddr))
	srv := startServer(t, bin, "-config", config)
	srv.waitReady(t, "http://"+httpAddr+"/ping")

	r := run(t, nil, "run", "-q", "--demo", "--out", "influxdb=http://"+httpAddr+"/loadtest", "testdata/outputs.js")
	r.expect(t, cli.ExitOK, nil, nil)
	if strings.Contains(r.stderr, "--out") {
		t.Errorf("the output reported a problem:\n%s", r.stderr)
	}
	requests, p95 := runTotals(t, r)

	query := func(q string) float64 {
		var resp struct {
			Results []struct {
				Series []struct {
					Values [][]any `json:"values"`
				} `json:"series"`
				Error string `json:"error"`
			} `json:"results"`
		}
		queryJSON(t, "http://"+httpAddr+"/query", url.Values{"db": {"loadtest"}, "q": {q}}, &resp)
		if len(resp.Results) != 1 || len(resp.Results[0].Series) != 1 || len(resp.Results[0].Series[0].Values) != 1 {
			t.Fatalf("%s: %+v (InfluxDB log:\n%s)", q, resp, srv.log.String())
		}
		return parseFloat(t, resp.Results[0].Series[0].Values[0][1])
	}
	if got := query(`SELECT sum("value") FROM "http_reqs" WHERE "scope" = ''`); got != requests {
		t.Errorf("InfluxDB's interval points add up to %g requests, jsload counted %g", got, requests)
	}
	if got := query(`SELECT last("p95") FROM "http_req_duration" WHERE "scope" = 'run'`); !nearlyEqual(got, p95) {
		t.Errorf("InfluxDB has p(95) %g ms, jsload %g ms", got, p95)
	}
}

// TestOutputBackendDown: a backend refusing connections and one that never
// answers do not fail the test or hold it up; what they did not get is
// reported at the end.
func TestOutputBackendDown(t *testing.T) {
	t.Parallel()
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answers only when the test is over
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(hang)
	refused := "http://" + testnet.ClosedAddr(t)
	r := run(t, nil, "run", "-q", "--demo",
		"--out", "prometheus="+refused+"/api/v1/write", "--out", "influxdb="+refused+"/jsload",
		"--out", "prometheus="+slow.URL+"/api/v1/write", "testdata/outputs.js")
	r.expect(t, cli.ExitOK, []string{"300 iterations completed"},
		[]string{"prometheus output:", "influxdb output:", "writes failed", "connection refused", "the test itself was not affected"})
	if strings.Count(r.stderr, "prometheus output:") != 2 {
		t.Errorf("want a report of each prometheus output (refused and slow):\n%s", r.stderr)
	}
}
