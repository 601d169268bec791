package metrics

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// decode turns a JS-like options.thresholds literal (JSON) into the value the
// CLI hands over.
func decode(t *testing.T, js string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("bad test input %s: %v", js, err)
	}
	return v
}

func TestParseThresholds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		check   func(t *testing.T, ts Thresholds)
		wantErr []string
	}{
		{name: "string", in: `{"http_req_duration":"p(95)<300"}`, check: func(t *testing.T, ts Thresholds) {
			if len(ts) != 1 || ts[0].Metric != "http_req_duration" || len(ts[0].Thresholds) != 1 || !ts[0].Filter.IsEmpty() {
				t.Errorf("got %+v", ts[0])
			}
		}},
		{name: "array and object", in: `{"http_req_failed":["rate<0.01",{"threshold":"rate<0.1","abortOnFail":true,"delayAbortEval":"10s"}]}`,
			check: func(t *testing.T, ts Thresholds) {
				th := ts[0].Thresholds
				if len(th) != 2 || th[0].AbortOnFail || !th[1].AbortOnFail || th[1].DelayAbortEval != 10*time.Second {
					t.Errorf("got %+v", th)
				}
			}},
		{name: "delay in ms", in: `{"checks":{"threshold":"rate>0.9","abortOnFail":true,"delayAbortEval":1500}}`,
			check: func(t *testing.T, ts Thresholds) {
				if d := ts[0].Thresholds[0].DelayAbortEval; d != 1500*time.Millisecond {
					t.Errorf("delay = %v", d)
				}
			}},
		{name: "tag filters", in: `{"http_req_duration{status:200, method:GET}":"p(95)<300","http_req_duration{transaction:login}":["avg<200"]}`,
			check: func(t *testing.T, ts Thresholds) {
				if len(ts) != 2 || ts[0].Filter != NewTags("method", "GET", "status", "200") ||
					ts[1].Filter != NewTags("transaction", "login") || ts[1].Metric != "http_req_duration" {
					t.Errorf("got %+v %+v", ts[0], ts[1])
				}
			}},
		{name: "quoted tag value", in: `{"checks{check:'has token'}":"rate>0.9"}`, check: func(t *testing.T, ts Thresholds) {
			if ts[0].Filter != NewTags("check", "has token") {
				t.Errorf("filter = %q", ts[0].Filter)
			}
		}},
		{name: "bad expression names key and expression", in: `{"http_req_duration":"p95<300"}`,
			wantErr: []string{`thresholds["http_req_duration"]`, `"p95<300"`, "p(N)"}},
		{name: "every error reported", in: `{"a":"avg<x","b":["rate<1","count>"]}`,
			wantErr: []string{`thresholds["a"]`, `"avg<x"`, `thresholds["b"]`, `"count>"`}},
		{name: "bad metric key", in: `{"http_req_duration{status":"avg<1"}`, wantErr: []string{"unbalanced braces"}},
		{name: "bad tag filter", in: `{"m{status}":"avg<1"}`, wantErr: []string{`invalid tag filter "status"`}},
		{name: "bad name", in: `{"9x":"avg<1"}`, wantErr: []string{`invalid metric name "9x"`}},
		{name: "number", in: `{"m":300}`, wantErr: []string{"is a float64", "expression string"}},
		{name: "empty list", in: `{"m":[]}`, wantErr: []string{"empty list"}},
		{name: "object without threshold", in: `{"m":{"abortOnFail":true}}`, wantErr: []string{"string field threshold"}},
		{name: "abortOnFail not bool", in: `{"m":{"threshold":"avg<1","abortOnFail":"yes"}}`, wantErr: []string{"abortOnFail must be"}},
		{name: "bad delay", in: `{"m":{"threshold":"avg<1","delayAbortEval":"soon"}}`, wantErr: []string{`delayAbortEval: invalid duration "soon"`}},
		{name: "unknown field", in: `{"m":{"threshold":"avg<1","abortOnFial":true}}`, wantErr: []string{`unknown field "abortOnFial"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts, err := ParseThresholds(decode(t, tt.in))
			if len(tt.wantErr) > 0 {
				if !errors.Is(err, ErrInvalidThresholds) {
					t.Fatalf("error = %v, want ErrInvalidThresholds mentioning %q", err, tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseThresholds: %v", err)
			}
			tt.check(t, ts)
		})
	}
}

func TestThresholdsValidate(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	if _, err := r.Register("login_time", Trend, Time); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in      string
		wantErr string
	}{
		{`{"http_req_duration":"p(95)<300","login_time":"avg<1","http_reqs":["count>1","rate>1"],"vus":"value<3","checks":"rate>0.9"}`, ""},
		{`{"nope":"avg<1"}`, `no metric named "nope"`},
		{`{"http_reqs":"p(95)<1"}`, "p(95) does not apply to counter metric http_reqs (want count, rate)"},
		{`{"checks":"count>1"}`, "count does not apply to rate metric checks (want rate)"},
		{`{"vus":"avg<1"}`, "avg does not apply to gauge metric vus"},
		{`{"http_req_duration":"rate<1"}`, "rate does not apply to trend"},
	}
	for _, tt := range tests {
		ts, err := ParseThresholds(decode(t, tt.in))
		if err != nil {
			t.Fatalf("ParseThresholds(%s): %v", tt.in, err)
		}
		err = ts.Validate(r)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("Validate(%s) = %v, want %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestThresholdsEvaluate(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	b := r.Builtins()
	s := r.NewSink()
	login, other := NewTags("transaction", "login"), NewTags("transaction", "buy")
	for i := range 100 {
		s.Add(b.HTTPReqDuration, login, float64(i+1))  // 1..100
		s.Add(b.HTTPReqDuration, other, float64(1000)) // slow
		s.AddBool(b.HTTPReqFailed, Tags{}, i < 2)      // 2%
		s.Add(b.HTTPReqs, Tags{}, 2)
	}
	s.Add(b.VUs, Tags{}, 10)
	r.CollectAt(t0.Add(10 * time.Second))
	tot := r.Totals()

	tests := []struct {
		key, expr string
		pass      bool
		observed  float64
		noData    bool
	}{
		{"http_req_duration{transaction:login}", "p(95)<100", true, 95, false},
		{"http_req_duration{transaction:login}", "max<=100", true, 100, false},
		{"http_req_duration{transaction:login}", "avg<50", false, 50.5, false},
		{"http_req_duration{transaction:login}", "med==50.5", false, 50.5, false}, // within histogram error, not exact
		{"http_req_duration", "min>=1", true, 1, false},
		{"http_req_duration", "p(99)<500", false, 1000, false},
		{"http_req_failed", "rate<0.01", false, 0.02, false},
		{"http_req_failed", "rate<0.05", true, 0.02, false},
		{"http_reqs", "count>100", true, 200, false},
		{"http_reqs", "rate>=20", true, 20, false},
		{"vus", "value==10", true, 10, false},
		{"http_req_duration{transaction:none}", "count>=0", true, 0, true},
		{"unknown_metric", "avg<1", true, 0, true},
		// No sample: a Rate, Trend or Gauge has no value to judge (not a silent ✓),
		// a Counter counts 0.
		{"http_req_failed{status:0}", "rate<0.01", true, 0, true},
		{"http_req_duration{status:0}", "p(95)<500", true, 0, true},
		{"iterations", "count<1", true, 0, false},
		{"iterations", "count>0", false, 0, false},
	}
	for _, tt := range tests {
		ts, err := ParseThresholds(map[string]any{tt.key: tt.expr})
		if err != nil {
			t.Fatalf("%s %s: %v", tt.key, tt.expr, err)
		}
		res := ts.Evaluate(tot)
		if len(res) != 1 {
			t.Fatalf("%s %s: %d results", tt.key, tt.expr, len(res))
		}
		got := res[0]
		if tt.expr == "med==50.5" {
			got.Passed = false // only the observed value matters here
		}
		if got.NoData != tt.noData {
			t.Errorf("%s '%s': NoData=%v, want %v", tt.key, tt.expr, got.NoData, tt.noData)
		}
		if got.Passed != tt.pass || relErr(got.Observed, tt.observed) > 0.01 {
			t.Errorf("%s '%s': passed=%v observed=%v, want passed=%v observed≈%v", tt.key, tt.expr, got.Passed, got.Observed, tt.pass, tt.observed)
		}
	}
}

func relErr(got, want float64) float64 {
	if want == 0 {
		return abs(got)
	}
	return abs(got-want) / abs(want)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestThresholdsAbort(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetStart(t0)
	s := r.NewSink()
	for i := range 10 {
		s.AddBool(r.Builtins().HTTPReqFailed, Tags{}, i < 5) // 50% failures
	}
	r.CollectAt(t0.Add(time.Second))
	ts, err := ParseThresholds(decode(t, `{"http_req_failed":["rate<0.9",{"threshold":"rate<0.1","abortOnFail":true,"delayAbortEval":"30s"}],"http_req_duration":"p(95)<1"}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		elapsed time.Duration
		abort   bool
	}{
		{time.Second, false},     // before delayAbortEval
		{30 * time.Second, true}, // delay reached, failing
		{time.Minute, true},
	}
	for _, tt := range tests {
		res, abort := ts.Abort(r.Totals(), tt.elapsed)
		if abort != tt.abort {
			t.Errorf("Abort at %v = %v, want %v", tt.elapsed, abort, tt.abort)
		}
		if abort && (res.Threshold.Source != "rate<0.1" || res.Observed != 0.5) {
			t.Errorf("Abort result = %+v", res)
		}
	}
	if !Failed(ts.Evaluate(r.Totals())) {
		t.Errorf("Failed = false with a failing threshold")
	}
	if Failed(nil) {
		t.Errorf("Failed(nil) = true")
	}
}
