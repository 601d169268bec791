package metrics

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseThreshold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Threshold
		wantErr string
	}{
		{in: "p(95)<300", want: Threshold{Source: "p(95)<300", Stat: Stat{StatPercentile, 95}, Op: OpLT, Value: 300}},
		{in: " p(99.9) <= 500 ", want: Threshold{Source: "p(99.9) <= 500", Stat: Stat{StatPercentile, 99.9}, Op: OpLE, Value: 500}},
		{in: "avg<200", want: Threshold{Source: "avg<200", Stat: Stat{Kind: StatAvg}, Op: OpLT, Value: 200}},
		{in: "min>10", want: Threshold{Source: "min>10", Stat: Stat{Kind: StatMin}, Op: OpGT, Value: 10}},
		{in: "max<1e3", want: Threshold{Source: "max<1e3", Stat: Stat{Kind: StatMax}, Op: OpLT, Value: 1000}},
		{in: "med>=-5", want: Threshold{Source: "med>=-5", Stat: Stat{Kind: StatMed}, Op: OpGE, Value: -5}},
		{in: "rate<0.01", want: Threshold{Source: "rate<0.01", Stat: Stat{Kind: StatRate}, Op: OpLT, Value: 0.01}},
		{in: "count>100", want: Threshold{Source: "count>100", Stat: Stat{Kind: StatCount}, Op: OpGT, Value: 100}},
		{in: "value==3", want: Threshold{Source: "value==3", Stat: Stat{Kind: StatValue}, Op: OpEQ, Value: 3}},
		{in: "value===3", want: Threshold{Source: "value===3", Stat: Stat{Kind: StatValue}, Op: OpEQ, Value: 3}},
		{in: "value!=0", want: Threshold{Source: "value!=0", Stat: Stat{Kind: StatValue}, Op: OpNE, Value: 0}},
		{in: "p( 50 )<1", want: Threshold{Source: "p( 50 )<1", Stat: Stat{StatPercentile, 50}, Op: OpLT, Value: 1}},
		{in: "p(95)", wantErr: "no comparison operator"},
		{in: "", wantErr: "no comparison operator"},
		{in: "<300", wantErr: "missing stat"},
		{in: "p95<300", wantErr: `unknown stat "p95"`},
		{in: "p(101)<300", wantErr: "invalid percentile"},
		{in: "p(-1)<300", wantErr: "invalid percentile"},
		{in: "p(x)<300", wantErr: "invalid percentile"},
		{in: "avg=200", wantErr: "invalid operator"},
		{in: "avg<>200", wantErr: "invalid number"},
		{in: "avg<", wantErr: "invalid number"},
		{in: "avg<3ms", wantErr: `invalid number "3ms"`},
		{in: "avg<NaN", wantErr: "invalid number"},
		{in: "avg<Inf", wantErr: "invalid number"},
		{in: "mean<3", wantErr: "want <stat> <op> <number>"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseThreshold(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseThreshold(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
					t.Errorf("error %q does not quote the expression", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseThreshold(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseThreshold(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"p(95)<300", "p(99.9)<=500", "avg<200", "rate<0.01", "count>100", "value===1",
		"p(", "<", "p(95)<", "max != -1e300", "med>=0x1p3", "p(1e2)<1"} {
		f.Add(s, "http_req_duration{status:200}")
	}
	f.Fuzz(func(t *testing.T, expr, key string) {
		th, err := ParseThreshold(expr)
		if err == nil {
			// The canonical form parses back to the same threshold.
			canon := th.Stat.String() + th.Op.String() + formatFloatExact(th.Value)
			back, err := ParseThreshold(canon)
			if err != nil || back.Stat != th.Stat || back.Op != th.Op || back.Value != th.Value {
				t.Errorf("canonical %q of %q parses to %+v, %v", canon, expr, back, err)
			}
		}
		ts, err := ParseThresholds(map[string]any{key: expr, "m": []any{expr, map[string]any{"threshold": expr}}})
		if err == nil {
			_ = ts.Evaluate(NewRegistry().Totals())
		}
	})
}

func formatFloatExact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
