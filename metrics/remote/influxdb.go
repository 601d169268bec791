package remote

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/influxdata/line-protocol/v2/lineprotocol"

	"github.com/jsload/jsload/metrics"
)

// ScopeTag marks the InfluxDB points of the run's totals: scope=run. Points
// of collection intervals have no scope tag.
const ScopeTag = "scope"

// InfluxDB is the --out influxdb=URL output: InfluxDB 1.x line protocol to the
// database named by URL's path (http://127.0.0.1:8086/jsload: database
// jsload, the default), created at the first write if missing. Each interval
// writes one point per series at the interval's end: measurement = metric
// name, tags = the series' tags, fields by type:
//
//	Counter  value (the interval's sum), count
//	Gauge    value (last), min, max
//	Rate     value (fraction true), trues, count
//	Trend    count, sum, avg, min, med, max, p90, p95, p99 (ms for time)
//
// At the end, one point per metric with the whole run's figures, tagged
// scope=run, so that a query finds the run's own percentiles. User and
// password in the URL are sent as HTTP basic auth. Safe for concurrent use.
type InfluxDB struct {
	q *queue
}

// NewInfluxDB returns the output for rawURL; its sender starts at once.
func NewInfluxDB(rawURL string, client *http.Client) (*InfluxDB, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid --out influxdb=%s: want the server and database, e.g. influxdb=http://127.0.0.1:8086/jsload", rawURL)
	}
	db := strings.Trim(u.Path, "/")
	if db == "" {
		db = "jsload"
	}
	if strings.Contains(db, "/") {
		return nil, fmt.Errorf("invalid --out influxdb=%s: the path names one database, e.g. /jsload", rawURL)
	}
	w := &influxWriter{client: client, db: db, user: u.User}
	base := url.URL{Scheme: u.Scheme, Host: u.Host}
	w.writeURL = base.JoinPath("write").String() + "?" + url.Values{"db": {db}, "precision": {"ms"}}.Encode()
	w.queryURL = base.JoinPath("query").String()
	return &InfluxDB{q: newQueue("influxdb", w.write)}, nil
}

// AddInterval writes one point per series of the interval.
func (o *InfluxDB) AddInterval(iv *metrics.Snapshot) error {
	var enc lineprotocol.Encoder
	enc.SetPrecision(lineprotocol.Millisecond)
	for _, a := range iv.Series() {
		encodePoint(&enc, a, a.Tags, iv.Elapsed(), iv.End)
	}
	return o.push(&enc)
}

// AddTotals writes one point per metric with the figures of the whole run,
// tagged scope=run.
func (o *InfluxDB) AddTotals(s *metrics.Snapshot) error {
	var enc lineprotocol.Encoder
	enc.SetPrecision(lineprotocol.Millisecond)
	scope := metrics.NewTags(ScopeTag, "run")
	for _, m := range s.Metrics() {
		if sum := s.Sum(m, metrics.Tags{}); sum.Count > 0 {
			encodePoint(&enc, sum, scope, s.Elapsed(), s.End)
		}
	}
	return o.push(&enc)
}

func (o *InfluxDB) push(enc *lineprotocol.Encoder) error {
	if err := enc.Err(); err != nil {
		return fmt.Errorf("influxdb output: %w", err)
	}
	if len(enc.Bytes()) == 0 {
		return nil
	}
	return o.q.push(bytes.Clone(enc.Bytes()))
}

// Close sends what is queued (within a bound) and reports what was lost.
func (o *InfluxDB) Close() error { return o.q.Close() }

// encodePoint writes a's point with tags (sorted by key, as the encoder
// requires) at t.
func encodePoint(enc *lineprotocol.Encoder, a *metrics.Aggregate, tags metrics.Tags, period time.Duration, t time.Time) {
	enc.StartLine(a.Metric.Name())
	for k, v := range tags.All() {
		if k != "" && v != "" { // line protocol has no empty tag values
			enc.AddTag(k, v)
		}
	}
	field := func(k string, v float64) {
		if fv, ok := lineprotocol.FloatValue(v); ok {
			enc.AddField(k, fv)
		}
	}
	switch a.Metric.Type() {
	case metrics.Counter:
		field("value", a.Sum)
		field("count", float64(a.Count))
	case metrics.Gauge:
		field("value", a.Last)
		field("min", a.Min)
		field("max", a.Max)
	case metrics.Rate:
		field("value", a.Rate())
		field("trues", float64(a.Trues))
		field("count", float64(a.Count))
	case metrics.Trend:
		field("count", float64(a.Count))
		field("sum", a.Sum)
		field("avg", a.Avg())
		field("min", a.Min)
		field("med", a.Percentile(50))
		field("max", a.Max)
		field("p90", a.Percentile(90))
		field("p95", a.Percentile(95))
		field("p99", a.Percentile(99))
	}
	enc.EndLine(t)
}

// influxWriter posts line protocol to one database, creating it first.
type influxWriter struct {
	client             *http.Client
	db                 string
	user               *url.Userinfo
	writeURL, queryURL string

	created bool // the database exists; only the sender goroutine uses it
}

// write creates the database until that succeeded once (CREATE DATABASE is a
// no-op when it exists; a refusal, for want of rights, shows in the write
// that follows), then writes body.
func (w *influxWriter) write(ctx context.Context, body []byte) error {
	if !w.created {
		q := url.Values{"q": {fmt.Sprintf("CREATE DATABASE %q", w.db)}}
		w.created = w.post(ctx, w.queryURL, "application/x-www-form-urlencoded", []byte(q.Encode())) == nil
	}
	return w.post(ctx, w.writeURL, "text/plain; charset=utf-8", body)
}

func (w *influxWriter) post(ctx context.Context, target, contentType string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	if w.user != nil {
		pass, _ := w.user.Password()
		req.SetBasicAuth(w.user.Username(), pass)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s %s", strings.SplitN(target, "?", 2)[0], resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}
