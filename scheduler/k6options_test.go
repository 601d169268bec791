package scheduler

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestK6Options checks that k6's options decode as k6's documentation says.
func TestK6Options(t *testing.T) {
	t.Parallel()
	o, err := ParseOptions([]byte(`{
		"maxRedirects": 3, "userAgent": "", "throw": true, "insecureSkipTLSVerify": true,
		"discardResponseBodies": true, "noConnectionReuse": true, "batch": 15, "batchPerHost": 4,
		"hosts": {"shop.test": "127.0.0.1"}, "tags": {"team": "shop", "build": 42},
		"summaryTrendStats": ["avg", "p(99.9)"], "summaryTimeUnit": "ms",
		"tlsVersion": {"min": "tls1.2"}, "tlsCipherSuites": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
		"minIterationDuration": "2s", "httpDebug": "full", "noCookiesReset": true}`))
	if err != nil {
		t.Fatal(err)
	}
	h := o.HTTP
	if h.MaxRedirects == nil || *h.MaxRedirects != 3 || h.UserAgent == nil || *h.UserAgent != "" || !h.Throw ||
		!h.InsecureSkipTLSVerify || !h.DiscardResponseBodies || !h.NoConnectionReuse || h.Batch != 15 || h.BatchPerHost != 4 {
		t.Errorf("HTTP options = %+v", h)
	}
	if h.Hosts["shop.test"] != "127.0.0.1" || h.TLSMinVersion != tls.VersionTLS12 || h.TLSMaxVersion != 0 ||
		!reflect.DeepEqual(h.TLSCipherSuites, []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) || h.Debug != "full" {
		t.Errorf("HTTP options = %+v", h)
	}
	if !reflect.DeepEqual(o.Tags, map[string]string{"team": "shop", "build": "42"}) {
		t.Errorf("tags = %v", o.Tags)
	}
	if !reflect.DeepEqual(o.SummaryTrendStats, []string{"avg", "p(99.9)"}) || o.SummaryTimeUnit != "ms" || o.MinIterationDuration != 2*time.Second {
		t.Errorf("summary %v %q, minIterationDuration %v", o.SummaryTrendStats, o.SummaryTimeUnit, o.MinIterationDuration)
	}
	if len(o.Warnings) != 0 {
		t.Errorf("warnings %q, want none", o.Warnings)
	}
}

// TestK6UnsupportedOptions checks that each k6 option jsload does not apply
// gives one warning naming it, and nothing when it is off.
func TestK6UnsupportedOptions(t *testing.T) {
	t.Parallel()
	o, err := ParseOptions([]byte(`{"rps": 10, "blockHostnames": ["*.test"], "noSetup": false, "dns": {"ttl": "1m"}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(o.Warnings, "\n")
	for _, want := range []string{"options.dns is a k6 option jsload does not apply", "options.rps is a k6 option", "options.blockHostnames"} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
	if strings.Contains(got, "noSetup") || len(o.Warnings) != 3 {
		t.Errorf("warnings %q: want 3, none for noSetup: false", got)
	}
}

// TestScenarios checks options.scenarios, k6's name of options.groups: the same
// groups, messages that say scenarios, and k6's externally-controlled refused.
func TestScenarios(t *testing.T) {
	t.Parallel()
	p, err := plan(t, `{"scenarios": {"browse": {"executor": "constant-vus", "vus": 2, "duration": "10s", "exec": "browse", "tags": {"k": "v"}}}}`, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) != 1 || p.Groups[0].Name != "browse" || p.Groups[0].Exec != "browse" || p.Groups[0].Tags["k"] != "v" {
		t.Errorf("groups = %+v", p.Groups[0])
	}
	for _, tt := range []struct{ opts, want string }{
		{`{"scenarios": {"x": {"executor": "externally-controlled", "vus": 1, "maxVUs": 2, "duration": "1m"}}}`, "options.scenarios.x.executor: jsload has no externally-controlled executor"},
		{`{"scenarios": {"x": {"executor": "constant-vus", "vus": 1}}}`, "options.scenarios.x.duration: missing"},
		{`{"scenarios": {"x": {"executor": "constant-vus", "duration": "1s", "rate": 1}}}`, "options.scenarios.x.rate: a constant-vus group does not use rate"},
		{`{"scenarios": {}}`, "options.scenarios is empty"},
		{`{"scenarios": {"x": {"executor": "constant-vus", "duration": "1s"}}, "vus": 2}`, "options.scenarios comes with options.vus"},
	} {
		if _, err := plan(t, tt.opts, Overrides{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.opts, err, tt.want)
		}
	}
}

// TestMinIterationDuration checks that k6's minIterationDuration is the
// default pacing of every group, which a group's own pacing overrides.
func TestMinIterationDuration(t *testing.T) {
	t.Parallel()
	p, err := plan(t, `{"minIterationDuration": "3s", "groups": {"a": {"executor": "constant-vus", "duration": "10s"}, "b": {"executor": "constant-vus", "duration": "10s", "pacing": "1s"}}}`, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Groups[0].Pacing != 3*time.Second || p.Groups[1].Pacing != time.Second {
		t.Errorf("pacing %v, %v; want 3s, 1s", p.Groups[0].Pacing, p.Groups[1].Pacing)
	}
	p, err = plan(t, `{"minIterationDuration": "500ms", "vus": 2, "duration": "5s"}`, Overrides{})
	if err != nil || p.Groups[0].Pacing != 500*time.Millisecond {
		t.Errorf("shortcut pacing %v, %v; want 500ms", p, err)
	}
}

// TestMergeOptions checks k6's order of the option layers (config file <
// script < environment < flags) and that a layer setting the plan replaces
// the plan of the layers under it.
func TestMergeOptions(t *testing.T) {
	t.Parallel()
	file := OptionLayer{Source: "--config k6.json", Raw: json.RawMessage(`{"vus": 3, "userAgent": "file", "maxRedirects": 1, "scenarios": {"f": {"executor": "constant-vus", "duration": "1s"}}}`)}
	for _, tt := range []struct {
		name   string
		script string
		layers []OptionLayer
		want   string
		note   string
	}{
		{"file under script", `{"userAgent": "script"}`, []OptionLayer{file},
			`{"maxRedirects":1,"scenarios":{"f":{"executor":"constant-vus","duration":"1s"}},"userAgent":"script","vus":3}`, ""},
		{"script groups replace the file's plan", `{"groups": {"s": {"executor": "constant-vus", "duration": "2s"}}}`, []OptionLayer{file},
			`{"groups":{"s":{"executor":"constant-vus","duration":"2s"}},"maxRedirects":1,"userAgent":"file"}`, "the script's options replaces the groups (scenarios) of --config k6.json"},
		{"env over script", `{"userAgent": "script", "stages": [{"duration": "1s", "target": 1}]}`,
			[]OptionLayer{{Source: "the K6_USER_AGENT variables", Raw: json.RawMessage(`{"userAgent": "env"}`), OverScript: true}},
			`{"stages":[{"duration":"1s","target":1}],"userAgent":"env"}`, ""},
		{"flags over env", `{}`, []OptionLayer{
			{Source: "the K6_THROW variables", Raw: json.RawMessage(`{"throw": true}`), OverScript: true},
			{Source: "the command-line flags", Raw: json.RawMessage(`{"throw": false}`), OverScript: true}},
			`{"throw":false}`, ""},
		{"env stages replace script scenarios", `{"scenarios": {"s": {"executor": "constant-vus", "duration": "2s"}}, "tags": {"a": "b"}}`,
			[]OptionLayer{{Source: "the K6_STAGES variables", Raw: json.RawMessage(`{"stages": [{"duration": "1s", "target": 2}]}`), OverScript: true}},
			`{"stages":[{"duration":"1s","target":2}],"tags":{"a":"b"}}`, "the K6_STAGES variables replace the groups (scenarios) of the script's options"},
		{"null is nothing", `{"vus": 2}`, []OptionLayer{{Source: "x", Raw: json.RawMessage(`{"vus": null}`), OverScript: true}}, `{"vus":2}`, ""},
	} {
		got, notes, err := mergeOptions(json.RawMessage(tt.script), tt.layers)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s: merged %s\nwant %s", tt.name, got, tt.want)
		}
		if note := strings.Join(notes, "; "); note != tt.note {
			t.Errorf("%s: notes %q, want %q", tt.name, note, tt.note)
		}
	}
	if _, _, err := mergeOptions(nil, []OptionLayer{{Source: "--config x.json", Raw: json.RawMessage(`[1]`)}}); err == nil || !strings.Contains(err.Error(), "--config x.json: options must be an object") {
		t.Errorf("bad layer: %v", err)
	}
}

// TestPlanNotesFromLayers checks that the plan says when a layer replaced the
// script's scenarios.
func TestPlanNotesFromLayers(t *testing.T) {
	t.Parallel()
	raw, notes, err := mergeOptions(json.RawMessage(`{"scenarios": {"s": {"executor": "constant-vus", "duration": "2s"}}}`),
		[]OptionLayer{{Source: "the K6_STAGES variables", Raw: json.RawMessage(`{"stages": [{"duration": "1s", "target": 2}]}`), OverScript: true}})
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseOptions(raw)
	if err != nil {
		t.Fatal(err)
	}
	p, err := BuildPlan(o, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	p.Notes = append(notes, p.Notes...)
	var out bytes.Buffer
	p.Describe(&out)
	if !strings.Contains(out.String(), "note: the K6_STAGES variables replace the groups (scenarios)") || !strings.Contains(out.String(), "ramping-vus") {
		t.Errorf("plan:\n%s", out.String())
	}
}
