package ws_test

import (
	"testing"

	"github.com/jsload/jsload/metrics"
)

// TestMetrics checks the samples of one echo session, in the main script and in
// a background script (tagged script=<id>), and of a refused handshake.
func TestMetrics(t *testing.T) {
	t.Parallel()
	srv := newWSServer(t)
	e := env(t, srv)
	url := srv.URL + "/echo"
	base := []string{"group", "default", "url", url, "name", url, "status", "101", "kind", "m"}
	for _, tt := range []struct {
		fn   string
		tags metrics.Tags
	}{
		{"metrics", metrics.NewTags(base...)},
		{"metricsInBackground", metrics.NewTags(append(base, "script", "bg")...)},
	} {
		t.Run(tt.fn, func(t *testing.T) {
			t.Parallel()
			_, reg, err := runJS(t, "ws.js", tt.fn, e)
			if err != nil {
				t.Fatal(err)
			}
			reg.Collect()
			tot := reg.Totals()
			for _, c := range []struct {
				name  string
				count uint64
				sum   float64 // for counters; -1 for trends
			}{
				{"ws_sessions", 1, 1},
				{"ws_msgs_sent", 2, 2},
				{"ws_msgs_received", 2, 2},
				{"ws_connecting", 1, -1},
				{"ws_session_duration", 1, -1},
				{"ws_ping", 1, -1},
			} {
				m := reg.Lookup(c.name)
				if m == nil {
					t.Fatalf("no metric %s", c.name)
				}
				a := tot.Get(m, tt.tags)
				if a == nil {
					t.Fatalf("no %s series tagged %s; have %v", c.name, tt.tags, tot.SeriesOf(m))
				}
				if a.Count != c.count || c.sum >= 0 && a.Sum != c.sum || c.sum < 0 && a.Max <= 0 {
					t.Errorf("%s: count %d sum %v max %v, want count %d sum %v", c.name, a.Count, a.Sum, a.Max, c.count, c.sum)
				}
			}
			b := reg.Builtins()
			for _, m := range []*metrics.Metric{b.DataSent, b.DataReceived} {
				if a := tot.Get(m, tt.tags); a == nil || a.Sum < 100 {
					t.Errorf("%s{%s} = %v, want the handshake and frames (≥ 100 bytes)", m.Name(), tt.tags, a)
				}
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		_, reg, err := runJS(t, "ws.js", "refusedMetrics", e)
		if err != nil {
			t.Fatal(err)
		}
		reg.Collect()
		a := reg.Totals().Get(reg.Lookup("ws_sessions"), metrics.NewTags("group", "default", "name", "refused", "status", "403"))
		if a == nil || a.Sum != 1 {
			t.Errorf("ws_sessions{status=403} = %v, want 1", a)
		}
	})
}
