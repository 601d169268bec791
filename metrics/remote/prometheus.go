package remote

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/prompb"

	"github.com/jsload/jsload/metrics"
)

// Histogram modes of the Prometheus output (?histograms= in its URL).
const (
	histogramsNone    = ""        // trends as stat gauges only
	histogramsNative  = "native"  // and as native histograms
	histogramsClassic = "classic" // and as classic _bucket/_sum/_count series
)

// Prometheus is the --out prometheus=URL output: Prometheus remote write 1.0
// to URL (e.g. http://127.0.0.1:9090/api/v1/write). Every interval it sends
// the run-so-far value of each series the interval touched, named jsload_*
// with the series' tags as labels, times in seconds:
//
//	Counter  jsload_<name>_total
//	Gauge    jsload_<name>
//	Rate     jsload_<name>_rate (fraction of true samples)
//	Trend    jsload_<name>_avg, _min, _med, _max, _p90, _p95, _p99, _count, _sum
//
// and, with ?histograms=native, each Trend as a native histogram jsload_<name>
// (Prometheus started with --enable-feature=native-histograms), or with
// ?histograms=classic as jsload_<name>_bucket{le=...}. Safe for concurrent
// use.
type Prometheus struct {
	q          *queue
	histograms string

	mu     sync.Mutex // guards totals (the collector adds, an abort path may close)
	totals *metrics.Snapshot
}

// NewPrometheus returns the output for rawURL; its sender starts at once, but
// nothing is sent before the first interval.
func NewPrometheus(rawURL string, client *http.Client) (*Prometheus, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid --out prometheus=%s: want the remote-write URL, e.g. prometheus=http://127.0.0.1:9090/api/v1/write", rawURL)
	}
	q := u.Query()
	mode := q.Get("histograms")
	switch mode {
	case histogramsNone, histogramsNative, histogramsClassic:
	default:
		return nil, fmt.Errorf("invalid --out prometheus=%s: histograms=%q, want native or classic", rawURL, mode)
	}
	q.Del("histograms")
	u.RawQuery = q.Encode()
	target := u.String()
	p := &Prometheus{histograms: mode}
	p.q = newQueue("prometheus", func(ctx context.Context, body []byte) error {
		return postRemoteWrite(ctx, client, target, body)
	})
	return p, nil
}

// AddInterval sends the interval's series with their values so far.
func (p *Prometheus) AddInterval(iv *metrics.Snapshot) error {
	if p.q.isClosed() {
		return metrics.ErrOutputClosed
	}
	p.mu.Lock()
	totals, err := metrics.MergeSnapshots(p.totals, iv)
	p.totals = totals
	p.mu.Unlock()
	if err != nil {
		return err
	}
	req := &prompb.WriteRequest{}
	ts := iv.End.UnixMilli()
	for _, a := range iv.Series() {
		req.Timeseries = p.appendSeries(req.Timeseries, totals.Get(a.Metric, a.Tags), ts)
	}
	if len(req.Timeseries) == 0 {
		return nil
	}
	raw, err := req.Marshal()
	if err != nil {
		return fmt.Errorf("prometheus output: %w", err)
	}
	return p.q.push(snappy.Encode(nil, raw))
}

// AddTotals does nothing: the last interval already carried the totals.
func (p *Prometheus) AddTotals(*metrics.Snapshot) error { return nil }

// Close sends what is queued (within a bound) and reports what was lost.
func (p *Prometheus) Close() error { return p.q.Close() }

// appendSeries appends the time series of one aggregate.
func (p *Prometheus) appendSeries(out []prompb.TimeSeries, a *metrics.Aggregate, ts int64) []prompb.TimeSeries {
	if a == nil {
		return out
	}
	name := "jsload_" + sanitizeName(a.Metric.Name())
	labels := tagLabels(a.Tags)
	sample := func(suffix string, v float64) {
		out = append(out, prompb.TimeSeries{Labels: withName(labels, name+suffix),
			Samples: []prompb.Sample{{Value: v, Timestamp: ts}}})
	}
	scale := unitScale(a.Metric)
	switch a.Metric.Type() {
	case metrics.Counter:
		sample("_total", a.Sum*scale)
	case metrics.Gauge:
		sample("", a.Last*scale)
	case metrics.Rate:
		sample("_rate", a.Rate())
	case metrics.Trend:
		sample("_avg", a.Avg()*scale)
		sample("_min", a.Min*scale)
		sample("_med", a.Percentile(50)*scale)
		sample("_max", a.Max*scale)
		sample("_p90", a.Percentile(90)*scale)
		sample("_p95", a.Percentile(95)*scale)
		sample("_p99", a.Percentile(99)*scale)
		sample("_count", float64(a.Count))
		sample("_sum", a.Sum*scale)
		switch p.histograms {
		case histogramsNative:
			out = append(out, prompb.TimeSeries{Labels: withName(labels, name),
				Histograms: []prompb.Histogram{nativeHistogram(a.Hist, scale, ts)}})
		case histogramsClassic:
			out = appendClassic(out, labels, name, a, scale, ts)
		}
	}
	return out
}

// unitScale converts a metric's values to Prometheus' base units: seconds
// for time (jsload records milliseconds).
func unitScale(m *metrics.Metric) float64 {
	if m.Contains() == metrics.Time {
		return 1e-3
	}
	return 1
}

// tagLabels turns tags into labels.
func tagLabels(t metrics.Tags) []prompb.Label {
	labels := make([]prompb.Label, 0, t.Len()+1)
	for k, v := range t.All() {
		labels = append(labels, prompb.Label{Name: sanitizeName(k), Value: v})
	}
	return labels
}

// withName returns labels and __name__, sorted by name as Prometheus wants
// them, without a second label of a name that sanitising made twice.
func withName(labels []prompb.Label, name string) []prompb.Label {
	out := make([]prompb.Label, 0, len(labels)+1)
	out = append(out, prompb.Label{Name: "__name__", Value: name})
	out = append(out, labels...)
	slices.SortStableFunc(out, func(a, b prompb.Label) int { return strings.Compare(a.Name, b.Name) })
	return slices.CompactFunc(out, func(a, b prompb.Label) bool { return a.Name == b.Name })
}

// sanitizeName makes s a valid Prometheus metric or label name: letters,
// digits and _, not starting with a digit.
func sanitizeName(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			b.WriteRune(r)
		case '0' <= r && r <= '9':
			if i == 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// postRemoteWrite sends one snappy-compressed WriteRequest, as the remote
// write 1.0 specification asks.
func postRemoteWrite(ctx context.Context, client *http.Client, target string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Encoding", "snappy")
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("User-Agent", "jsload")
	req.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s %s", target, resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}
