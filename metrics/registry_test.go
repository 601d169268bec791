package metrics

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRegistryBuiltins(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	want := map[string]Type{
		"http_reqs": Counter, "http_req_duration": Trend, "http_req_blocked": Trend,
		"http_req_connecting": Trend, "http_req_tls_handshaking": Trend, "http_req_sending": Trend,
		"http_req_waiting": Trend, "http_req_receiving": Trend, "http_req_failed": Rate,
		"data_sent": Counter, "data_received": Counter, "iterations": Counter,
		"iteration_duration": Trend, "iterations_failed": Counter, "vus": Gauge, "vus_max": Gauge,
		"checks": Rate, "transaction_duration": Trend, "transactions": Rate,
		"background_scripts": Counter, "sync_wait_duration": Trend, "dropped_iterations": Counter,
		"rendezvous_wait_duration": Trend,
	}
	for name, typ := range want {
		m := r.Lookup(name)
		if m == nil {
			t.Errorf("built-in %s missing", name)
			continue
		}
		if m.Type() != typ {
			t.Errorf("%s is a %s, want %s", name, m.Type(), typ)
		}
	}
	if got := len(r.Totals().Metrics()); got != len(want) {
		t.Errorf("registry has %d metrics, want %d", got, len(want))
	}
	b := r.Builtins()
	if b.HTTPReqDuration != r.Lookup("http_req_duration") || b.HTTPReqDuration.Contains() != Time {
		t.Errorf("Builtins().HTTPReqDuration is not the registered time trend")
	}
	if b.DataSent.Contains() != Data {
		t.Errorf("data_sent should contain data")
	}
}

func TestRegistryRegister(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		metric   string
		typ      Type
		contains ValueType
		wantErr  string
	}{
		{"custom trend", "login_time", Trend, Time, ""},
		{"same again", "login_time", Trend, Time, ""},
		{"builtin same type", "http_reqs", Counter, Default, ""},
		{"other type", "login_time", Counter, Default, "already a trend"},
		{"other value type", "login_time", Trend, Default, "already a trend (time values)"},
		{"builtin other type", "vus", Trend, Default, "already a gauge"},
		{"bad name", "1abc", Counter, Default, "invalid metric name"},
		{"brace", "a{b}", Counter, Default, "invalid metric name"},
		{"empty", "", Counter, Default, "invalid metric name"},
		{"bad type", "x", Type(9), Default, "invalid type"},
	}
	r := NewRegistry()
	for _, tt := range tests { // sequential: cases build on each other
		m, err := r.Register(tt.metric, tt.typ, tt.contains)
		if tt.wantErr == "" {
			if err != nil || m == nil || m.Name() != tt.metric {
				t.Errorf("%s: Register = %v, %v", tt.name, m, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error = %v, want it to contain %q", tt.name, err, tt.wantErr)
		}
	}
	a, _ := r.Register("login_time", Trend, Time)
	if a != r.Lookup("login_time") {
		t.Errorf("re-registering returned a different *Metric")
	}
}

func TestRegistryConcurrentRegister(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	var wg sync.WaitGroup
	got := make([]*Metric, 16)
	for i := range got {
		wg.Go(func() {
			m, err := r.Register("shared_counter", Counter, Default)
			if err != nil {
				t.Errorf("Register: %v", err)
			}
			got[i] = m
			r.CollectAt(time.Now())
		})
	}
	wg.Wait()
	for _, m := range got {
		if m != got[0] {
			t.Fatalf("concurrent Register returned different metrics")
		}
	}
}
