package metricsapi_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestScripts runs the functions of testdata/metrics.js, which throw on failure,
// and checks the samples they recorded.
func TestScripts(t *testing.T) {
	t.Parallel()
	type want struct {
		metric string
		tags   metrics.Tags
		ok     func(*metrics.Aggregate) bool
	}
	tests := []struct {
		fn   string
		want []want
	}{
		{"custom", []want{
			{"cart_value", metrics.Tags{}, func(a *metrics.Aggregate) bool { return a.Count == 1 && a.Sum == 12.5 }},
			{"cart_value", metrics.NewTags("shop", "north"), func(a *metrics.Aggregate) bool { return a.Count == 1 }},
			{"orders", metrics.Tags{}, func(a *metrics.Aggregate) bool { return a.Sum == 2 }},
			{"cache_hits", metrics.Tags{}, func(a *metrics.Aggregate) bool { return a.Count == 2 && a.Trues == 1 }},
			{"queue_depth", metrics.Tags{}, func(a *metrics.Aggregate) bool { return a.Last == 4 }},
		}},
		{"transactions", []want{
			{"transaction_duration", metrics.NewTags("transaction", "login"), func(a *metrics.Aggregate) bool { return a.Count == 1 && a.Min >= 10 }},
			{"transactions", metrics.NewTags("transaction", "login"), func(a *metrics.Aggregate) bool { return a.Count == 1 && a.Trues == 1 }},
			{"transactions", metrics.NewTags("transaction", "buy"), func(a *metrics.Aggregate) bool { return a.Count == 1 && a.Trues == 0 }},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.fn, func(t *testing.T) {
			t.Parallel()
			tt := jstest.New(t, "testdata/metrics.js")
			vu := tt.NewVU(t)
			if err := vu.Run(context.Background(), tc.fn); err != nil {
				t.Fatal(err)
			}
			reg := tt.State.Metrics
			reg.Collect()
			tot := reg.Totals()
			for _, w := range tc.want {
				m := tot.Metric(w.metric)
				if m == nil {
					t.Errorf("metric %s not recorded", w.metric)
					continue
				}
				if agg := tot.Sum(m, w.tags); !w.ok(agg) {
					t.Errorf("metric %s%v: %+v", w.metric, w.tags, *agg)
				}
			}
		})
	}
}

// TestDroppedSamples runs badValues of testdata/metrics.js: NaN, ±Infinity,
// non-numeric strings, undefined and null are not recorded, and each is
// reported, naming the metric and the script's line.
func TestDroppedSamples(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/metrics.js")
	var mu sync.Mutex
	var reports []string
	tt.State.OnError = func(what string, err error) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, what+": "+err.Error())
	}
	if err := tt.NewVU(t).Run(context.Background(), "badValues"); err != nil {
		t.Fatal(err)
	}
	reg := tt.State.Metrics
	reg.Collect()
	tot := reg.Totals()
	if agg := tot.Sum(tot.Metric("latency"), metrics.Tags{}); agg == nil || agg.Count != 3 || agg.Sum != 16 {
		t.Errorf("latency recorded %+v; want the samples '12', true and 3 (3 samples, sum 16)", agg)
	}
	if agg := tot.Sum(tot.Metric("cache_hits"), metrics.Tags{}); agg == nil || agg.Count != 1 || agg.Trues != 1 {
		t.Errorf("cache_hits recorded %+v; want Infinity as one true sample", agg)
	}
	want := []string{
		`VU 1: Trend "latency": add() got NaN, not a number or a boolean: the sample is dropped at testdata/metrics.js:34:15`,
		`VU 1: Trend "latency": add() got Infinity, not a number or a boolean: the sample is dropped at testdata/metrics.js:35:15`,
		`VU 1: Trend "latency": add() got the string "abc", not a number or a boolean: the sample is dropped at testdata/metrics.js:36:15`,
		`VU 1: Trend "latency": add() got undefined, not a number or a boolean: the sample is dropped at testdata/metrics.js:37:15`,
		`VU 1: Trend "latency": add() got null, not a number or a boolean: the sample is dropped at testdata/metrics.js:38:15`,
		`VU 1: Rate "cache_hits": add() got the string "nope", not a number or a boolean: the sample is dropped at testdata/metrics.js:42:12`,
	}
	if strings.Join(reports, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports:\n%s\nwant:\n%s", strings.Join(reports, "\n"), strings.Join(want, "\n"))
	}
}
