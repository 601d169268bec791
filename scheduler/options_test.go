package scheduler

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"30s", 30 * time.Second, ""},
		{"1m30s", 90 * time.Second, ""},
		{"250ms", 250 * time.Millisecond, ""},
		{"2h", 2 * time.Hour, ""},
		{"10x", 0, `invalid duration "10x": write a number with a unit`},
		{"30", 0, `invalid duration "30": add a unit, e.g. 30s`},
		{"-5s", 0, "must not be negative"},
		{"", 0, "invalid duration"},
	} {
		got, err := ParseDuration(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDuration(%q) error %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseOptions(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		json    string
		wantErr string
	}{
		{`{"vus": 10, "duration": "30s", "iterations": 5, "gracefulStop": 1000}`, ""},
		{`{"vus": -1}`, "options.vus: must be a whole number ≥ 0"},
		{`{"vus": 1.5}`, "options.vus: must be a whole number"},
		{`{"duration": "10x"}`, `options.duration: invalid duration "10x"`},
		{`{"duraton": "10s"}`, "options.duraton: unknown option"},
		{`{"scenarios": {"a": {"executor": "constant-vus", "duration": "1s"}}, "groups": {}}`, "options has both groups and scenarios"},
		{`{"rps": 100, "ext": {"loadimpact": {}}}`, ""},
		{`{"maxRedirects": -1}`, "options.maxRedirects: must be a whole number"},
		{`{"userAgent": 5}`, "options.userAgent: must be text"},
		{`{"throw": "yes"}`, "options.throw: must be true or false"},
		{`{"batchPerHost": 0}`, "options.batchPerHost: must be at least 1"},
		{`{"hosts": {"shop.test": "127.0.0.1", "*.shop.test:443": "127.0.0.1:8443"}}`, ""},
		{`{"hosts": {"shop test": "127.0.0.1"}}`, `options.hosts: "shop test" is not a host name`},
		{`{"hosts": {"shop.test": "127.0.0.1:99999"}}`, "has no valid host and port"},
		{`{"hosts": ["127.0.0.1"]}`, "options.hosts: must be an object"},
		{`{"summaryTrendStats": ["avg", "p(99.9)", "count", "p(100)"]}`, ""},
		{`{"summaryTrendStats": ["p95"]}`, `options.summaryTrendStats: unknown stat "p95"`},
		{`{"summaryTrendStats": ["p(101)"]}`, `unknown stat "p(101)"`},
		{`{"summaryTimeUnit": "ns"}`, "options.summaryTimeUnit: must be 's', 'ms' or 'us'"},
		{`{"tlsVersion": "tls1.2"}`, ""},
		{`{"tlsVersion": {"min": "tls1.3", "max": "tls1.2"}}`, "min tls1.3 is above max tls1.2"},
		{`{"tlsVersion": "ssl3"}`, `options.tlsVersion: unknown version "ssl3"`},
		{`{"tlsCipherSuites": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]}`, ""},
		{`{"tlsCipherSuites": ["TLS_NOPE"]}`, `unknown cipher suite "TLS_NOPE"`},
		{`{"tags": {"team": "shop", "n": 1}}`, ""},
		{`{"tags": {"team": {}}}`, "options.tags: must be an object of tag names"},
		{`{"minIterationDuration": "2x"}`, "options.minIterationDuration: invalid duration"},
		{`[1]`, "options must be an object"},
		{`{"vus": null}`, "options.vus: must be a whole number ≥ 0, got null"},
		{`{"iterations": null}`, "options.iterations: must be a whole number ≥ 0, got null"},
		{`null`, ""},
		{`{"maxResponseBodySize": "16MiB"}`, ""},
		{`{"maxResponseBodySize": 1000}`, ""},
		{`{"maxResponseBodySize": "huge"}`, `options.maxResponseBodySize: invalid size "huge"`},
		{`{"maxResponseBodySize": -5}`, "options.maxResponseBodySize: invalid size -5"},
	} {
		_, err := ParseOptions([]byte(tt.json))
		if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ParseOptions(%s) = %v, want error %q", tt.json, err, tt.wantErr)
		}
	}
}

func TestParseOptionsBodySize(t *testing.T) {
	t.Parallel()
	o, err := ParseOptions([]byte(`{"maxResponseBodySize": "16MiB"}`))
	if err != nil || o.MaxResponseBodySize != 16<<20 {
		t.Errorf("maxResponseBodySize '16MiB' = %d, %v; want %d", o.MaxResponseBodySize, err, 16<<20)
	}
}

func TestBuildPlan(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		opts    string
		ov      Overrides
		want    string // Describe of the single group's executor
		wantErr string
	}{
		{"nothing", `{}`, Overrides{}, "shared-iterations, 1 iterations shared by 1 VUs", ""},
		{"vus+duration", `{"vus": 5, "duration": "10s"}`, Overrides{}, "constant-vus, 5 VUs for 10s", ""},
		{"vus+iterations", `{"vus": 5, "iterations": 100}`, Overrides{}, "shared-iterations, 100 iterations shared by 5 VUs", ""},
		{"both bounded", `{"vus": 2, "iterations": 10, "duration": "1m"}`, Overrides{}, "shared-iterations, 10 iterations shared by 2 VUs, at most 1m", ""},
		{"fewer iterations than VUs", `{"vus": 10, "iterations": 3}`, Overrides{}, "shared-iterations, 3 iterations shared by 3 VUs", ""},
		{"vus only", `{"vus": 4}`, Overrides{}, "shared-iterations, 4 iterations shared by 4 VUs", ""},
		{"flags override", `{"vus": 5, "duration": "10s"}`, Overrides{VUs: ptr[int64](2), Duration: ptr(time.Minute)}, "constant-vus, 2 VUs for 1m", ""},
		{"zero vus", `{"vus": 0}`, Overrides{}, "", "vus is 0"},
		{"zero duration", `{"duration": "0s"}`, Overrides{}, "", "duration is 0"},
	} {
		o, err := ParseOptions([]byte(tt.opts))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		p, err := BuildPlan(o, tt.ov)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := p.Groups[0].Executor.Describe(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzParseOptions(f *testing.F) {
	for _, s := range []string{`{"vus": 10, "duration": "30s"}`, `{"iterations": 3}`, `{"gracefulStop": 5}`, `[]`, `{"duration": 1e300}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOptions([]byte(s))
		if err != nil {
			return
		}
		_, _ = BuildPlan(o, Overrides{})
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30s", "1m30s", "10x", "", "-1s", "9999999h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && d < 0 {
			t.Errorf("ParseDuration(%q) = %v, negative", s, d)
		}
	})
}
