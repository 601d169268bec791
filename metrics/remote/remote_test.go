package remote

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/influxdata/line-protocol/v2/lineprotocol"
	"github.com/prometheus/prometheus/prompb"
	"go.uber.org/goleak"

	"github.com/jsload/jsload/internal/testnet"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture records two intervals: requests of two URLs, a gauge, a rate.
func fixture(t *testing.T) []*metrics.Snapshot {
	t.Helper()
	r := metrics.NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	var out []*metrics.Snapshot
	for sec := 1; sec <= 2; sec++ {
		s.Add(b.VUs, metrics.Tags{}, float64(sec))
		for i := range 100 {
			tags := metrics.NewTags("name", "home", "status", "200")
			if i%4 == 0 {
				tags = metrics.NewTags("name", "cart", "status", "200", "Odd-Key", "x")
			}
			s.Add(b.HTTPReqs, tags, 1)
			s.Add(b.HTTPReqDuration, tags, 1+float64(i))
			s.AddBool(b.HTTPReqFailed, tags, i%10 == 0)
		}
		out = append(out, r.CollectAt(t0.Add(time.Duration(sec)*time.Second)))
	}
	return append(out, r.Totals())
}

// receiver is a fake backend recording request bodies.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	paths  []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.bodies = append(rc.bodies, body)
	rc.paths = append(rc.paths, r.URL.Path+"?"+r.URL.RawQuery)
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func TestPrometheusWriteRequests(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"", "native", "classic"} {
		t.Run("histograms="+mode, func(t *testing.T) {
			t.Parallel()
			rc := &receiver{}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			out, ok, err := Open("prometheus=" + srv.URL + "/api/v1/write?histograms=" + mode)
			if err != nil || !ok {
				t.Fatalf("Open: %v %v", ok, err)
			}
			snaps := fixture(t)
			for _, iv := range snaps[:2] {
				if err := out.AddInterval(iv); err != nil {
					t.Fatal(err)
				}
			}
			if err := out.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if len(rc.bodies) != 2 || rc.paths[0] != "/api/v1/write?" {
				t.Fatalf("%d writes to %v, want 2 to /api/v1/write without the histograms parameter", len(rc.bodies), rc.paths)
			}
			series := decodeWrite(t, rc.bodies[1])
			totals := snaps[2]
			home := totals.Sum(totals.Metric("http_req_duration"), metrics.NewTags("name", "home"))
			checkSample(t, series, `jsload_http_reqs_total{name="home",status="200"}`, 150)
			checkSample(t, series, `jsload_http_req_duration_p95{name="home",status="200"}`, home.Percentile(95)/1000)
			checkSample(t, series, `jsload_vus`, 2)
			checkSample(t, series, `jsload_http_req_failed_rate{Odd_Key="x",name="cart",status="200"}`, 0.2)
			checkHistograms(t, mode, series, home.Count)
		})
	}
}

func decodeWrite(t *testing.T, body []byte) map[string]prompb.TimeSeries {
	t.Helper()
	raw, err := snappy.Decode(nil, body)
	if err != nil {
		t.Fatalf("snappy: %v", err)
	}
	var req prompb.WriteRequest
	if err := req.Unmarshal(raw); err != nil {
		t.Fatalf("protobuf: %v", err)
	}
	out := map[string]prompb.TimeSeries{}
	for _, ts := range req.Timeseries {
		if !slices.IsSortedFunc(ts.Labels, func(a, b prompb.Label) int { return strings.Compare(a.Name, b.Name) }) {
			t.Errorf("labels not sorted: %v", ts.Labels)
		}
		out[seriesName(ts.Labels)] = ts
	}
	return out
}

// seriesName renders labels as PromQL does: name{k="v",...}.
func seriesName(labels []prompb.Label) string {
	var name string
	var kv []string
	for _, l := range labels {
		if l.Name == "__name__" {
			name = l.Value
			continue
		}
		kv = append(kv, l.Name+`="`+l.Value+`"`)
	}
	if len(kv) == 0 {
		return name
	}
	return name + "{" + strings.Join(kv, ",") + "}"
}

func checkSample(t *testing.T, series map[string]prompb.TimeSeries, name string, want float64) {
	t.Helper()
	ts, ok := series[name]
	if !ok || len(ts.Samples) != 1 {
		t.Errorf("no sample of %s", name)
		return
	}
	if got := ts.Samples[0].Value; got != want {
		t.Errorf("%s = %g, want %g", name, got, want)
	}
	if ts.Samples[0].Timestamp != t0.Add(2*time.Second).UnixMilli() {
		t.Errorf("%s at %d, want the end of the interval", name, ts.Samples[0].Timestamp)
	}
}

func checkHistograms(t *testing.T, mode string, series map[string]prompb.TimeSeries, count uint64) {
	t.Helper()
	native, hasNative := series[`jsload_http_req_duration{name="home",status="200"}`]
	inf, hasClassic := series[`jsload_http_req_duration_bucket{le="+Inf",name="home",status="200"}`]
	if hasNative != (mode == "native") || hasClassic != (mode == "classic") {
		t.Fatalf("native histogram %v, classic %v, for histograms=%q", hasNative, hasClassic, mode)
	}
	switch mode {
	case "native":
		h := native.Histograms[0]
		var sum int64
		var n int64
		for _, d := range h.PositiveDeltas {
			n += d
			sum += n
		}
		if h.GetCountInt() != count || uint64(sum)+h.GetZeroCountInt() != count || h.Schema != nativeSchema {
			t.Errorf("native histogram of %d values holds %d in its buckets: %+v", h.GetCountInt(), sum, h)
		}
	case "classic":
		le100ms := series[`jsload_http_req_duration_bucket{le="0.25",name="home",status="200"}`]
		le10ms := series[`jsload_http_req_duration_bucket{le="0.01",name="home",status="200"}`]
		if inf.Samples[0].Value != float64(count) || le100ms.Samples[0].Value != float64(count) || le10ms.Samples[0].Value >= float64(count) || le10ms.Samples[0].Value == 0 {
			t.Errorf("classic buckets le=0.01 %v, le=0.25 %v, +Inf %v; want 0 < le=0.01 < le=0.25 = +Inf = %d",
				le10ms.Samples, le100ms.Samples, inf.Samples, count)
		}
	}
}

func TestInfluxDBLines(t *testing.T) {
	t.Parallel()
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	out, _, err := Open("influxdb=" + srv.URL + "/loadtests")
	if err != nil {
		t.Fatal(err)
	}
	snaps := fixture(t)
	for _, iv := range snaps[:2] {
		if err := out.AddInterval(iv); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.AddTotals(snaps[2]); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if len(rc.paths) != 4 || rc.paths[0] != "/query?" || rc.paths[1] != "/write?db=loadtests&precision=ms" ||
		!strings.Contains(string(rc.bodies[0]), "CREATE+DATABASE+%22loadtests%22") {
		t.Fatalf("requests %v, want CREATE DATABASE then three writes", rc.paths)
	}
	total := map[string]map[string]float64{}
	dec := lineprotocol.NewDecoderWithBytes(rc.bodies[3])
	for dec.Next() {
		m, _ := dec.Measurement()
		tags := map[string]string{}
		for k, v, _ := dec.NextTag(); k != nil; k, v, _ = dec.NextTag() {
			tags[string(k)] = string(v)
		}
		fields := map[string]float64{}
		for k, v, _ := dec.NextField(); k != nil; k, v, _ = dec.NextField() {
			fields[string(k)] = v.FloatV()
		}
		if _, err := dec.Time(lineprotocol.Millisecond, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if tags[ScopeTag] != "run" {
			t.Errorf("totals point of %s without scope=run: %v", m, tags)
		}
		total[string(m)] = fields
	}
	if err := dec.Err(); err != nil {
		t.Fatalf("line protocol: %v", err)
	}
	d := snaps[2].Sum(snaps[2].Metric("http_req_duration"), metrics.Tags{})
	if total["http_reqs"]["value"] != 200 || total["http_req_duration"]["p95"] != d.Percentile(95) || total["vus"]["value"] != 2 {
		t.Errorf("totals %v", total)
	}
}

func TestRefusedBackend(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"prometheus", "influxdb"} {
		out, _, err := Open(kind + "=http://" + testnet.ClosedAddr(t) + "/x")
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range fixture(t)[:2] {
			if err := out.AddInterval(iv); err != nil {
				t.Fatal(err)
			}
		}
		err = out.Close()
		if err == nil || !strings.Contains(err.Error(), "2 of 2 writes failed") || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: Close = %v, want 2 of 2 writes failed, connection refused", kind, err)
		}
		if again := out.Close(); again == nil || again.Error() != err.Error() {
			t.Errorf("%s: a second Close = %v, want the same report", kind, again)
		}
		if err := out.AddInterval(fixture(t)[0]); !errors.Is(err, metrics.ErrOutputClosed) {
			t.Errorf("%s: AddInterval after Close = %v", kind, err)
		}
	}
}

// TestSlowBackendDrops: a backend that never answers fills the queue; later
// intervals are dropped at once, and Close gives up after its flush timeout.
func TestSlowBackendDrops(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, 1) // only the first write blocks: later ones see ctx done
	q := newQueue("test", func(ctx context.Context, _ []byte) error {
		started <- struct{}{}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-release:
			return nil
		}
	})
	q.flush = 10 * time.Millisecond
	defer close(release)
	if err := q.push([]byte("x")); err != nil { // taken by the sender, which then hangs
		t.Fatal(err)
	}
	<-started
	for range queueSize + 10 { // queueSize wait, 10 are dropped at once
		if err := q.push([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	err := q.Close()
	if err == nil || !strings.Contains(err.Error(), "intervals dropped") {
		t.Fatalf("Close = %v, want dropped intervals reported", err)
	}
	if q.dropped != queueSize+10 || q.failed != 1 {
		t.Errorf("dropped %d, failed %d; want %d dropped (10 when full, the rest when Close gave up), 1 failed", q.dropped, q.failed, queueSize+10)
	}
}
