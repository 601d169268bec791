package metricsapi_test

import (
	"context"
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
