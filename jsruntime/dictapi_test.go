package jsruntime

import (
	"context"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/metrics"
)

func TestDictionaryAPI(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "dictapi.js"), ThinkTimeFactor: 1}
	for _, fn := range []string{"typed", "errors", "waits", "metricsAndTransactions"} {
		t.Run(fn, func(t *testing.T) {
			t.Parallel()
			vu := newTestVU(t, s, 1)
			if err := vu.Run(context.Background(), fn); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStandardKeysReachScripts(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "dictapi.js"), ThinkTimeFactor: 1}
	store := dict.New()
	store.SetMany(map[string]any{"testName": "t", "runNumber": int64(1), "runPath": "/r", "scriptsPath": "/s",
		"dataPath": "/s", "projectName": "p", "userHome": "/s", "workspaceName": "w", "testSeriesName": "t",
		"cacheHome": "/c", "downloadPath": "/c", "tracePath": "/c/trace", "engineName": "jsload",
		"injectorName": "h", "isLocalInjector": true, "debug": false, "vuId": int64(3), "vuIdInGroup": int64(3),
		"groupName": "default", "iteration": int64(0)})
	vu, err := NewVU(context.Background(), s, &bindings.VUInfo{ID: 3}, store)
	if err != nil {
		t.Fatal(err)
	}
	defer vu.Close()
	if err := vu.Run(context.Background(), "standardKeys"); err != nil {
		t.Fatal(err)
	}
}

func TestCustomMetrics(t *testing.T) {
	t.Parallel()
	reg := metrics.NewRegistry()
	s := &TestState{Metrics: reg, Program: loadTestdata(t, "custommetrics.js"), ThinkTimeFactor: 1}
	vu := newTestVU(t, s, 1)
	if err := vu.Iterate(context.Background(), FuncDefault, 0, 0); err != nil {
		t.Fatal(err)
	}
	reg.Collect()
	tot := reg.Totals()
	for _, tt := range []struct {
		name string
		want func(*metrics.Aggregate) bool
	}{
		{"cart_value", func(a *metrics.Aggregate) bool { return a.Count == 1 && a.Sum == 12.5 }},
		{"orders", func(a *metrics.Aggregate) bool { return a.Sum == 2 }},
		{"cache_hits", func(a *metrics.Aggregate) bool { return a.Count == 2 && a.Trues == 1 }},
		{"queue_depth", func(a *metrics.Aggregate) bool { return a.Last == 4 }},
	} {
		m := tot.Metric(tt.name)
		if m == nil {
			t.Errorf("metric %s not recorded", tt.name)
			continue
		}
		if agg := tot.Sum(m, metrics.Tags{}); !tt.want(agg) {
			t.Errorf("metric %s: %+v", tt.name, *agg)
		}
	}
	if m := tot.Metric("cart_value"); m != nil && tot.Sum(m, metrics.NewTags("shop", "north")).Count != 1 {
		t.Errorf("cart_value lost its tag shop=north")
	}
}
