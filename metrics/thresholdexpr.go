package metrics

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// StatKind names the statistic a threshold tests.
type StatKind uint8

// The statistics a threshold can test, and the metric types they apply to.
const (
	StatAvg        StatKind = iota + 1 // Trend: mean
	StatMin                            // Trend, Gauge: smallest value
	StatMax                            // Trend, Gauge: largest value
	StatMed                            // Trend: median, p(50)
	StatPercentile                     // Trend: p(N), N in [0, 100]
	StatCount                          // Counter: sum of the samples
	StatRate                           // Rate: fraction of true samples; Counter: sum per second
	StatValue                          // Gauge: last value
)

var statNames = map[string]StatKind{
	"avg": StatAvg, "min": StatMin, "max": StatMax, "med": StatMed,
	"count": StatCount, "rate": StatRate, "value": StatValue,
}

// Stat is a statistic of an aggregate: a kind, and for StatPercentile the
// percentile P.
type Stat struct {
	Kind StatKind
	P    float64
}

// String renders the stat as written in thresholds: "avg", "p(95)".
func (s Stat) String() string {
	if s.Kind == StatPercentile {
		return "p(" + strconv.FormatFloat(s.P, 'f', -1, 64) + ")"
	}
	for name, k := range statNames {
		if k == s.Kind {
			return name
		}
	}
	return "stat(" + strconv.Itoa(int(s.Kind)) + ")"
}

// appliesTo reports whether the stat is defined for metric type t.
func (s Stat) appliesTo(t Type) bool {
	switch s.Kind {
	case StatAvg, StatMed, StatPercentile:
		return t == Trend
	case StatMin, StatMax:
		return t == Trend || t == Gauge
	case StatCount:
		return t == Counter
	case StatRate:
		return t == Rate || t == Counter
	case StatValue:
		return t == Gauge
	}
	return false
}

// statsFor lists the stats accepted for metric type t, for error messages.
func statsFor(t Type) string {
	switch t {
	case Counter:
		return "count, rate"
	case Gauge:
		return "value, min, max"
	case Rate:
		return "rate"
	default:
		return "avg, min, med, max, p(N)"
	}
}

// Of computes the stat on a; elapsed is the period a covers (for a Counter's
// rate per second). Without samples every stat is 0.
func (s Stat) Of(a *Aggregate, elapsed time.Duration) float64 {
	switch s.Kind {
	case StatAvg:
		return a.Avg()
	case StatMin:
		return a.Min
	case StatMax:
		return a.Max
	case StatMed:
		return a.Percentile(50)
	case StatPercentile:
		return a.Percentile(s.P)
	case StatCount:
		return a.Sum
	case StatRate:
		if a.Metric.typ == Counter {
			if elapsed <= 0 {
				return 0
			}
			return a.Sum / elapsed.Seconds()
		}
		return a.Rate()
	case StatValue:
		return a.Last
	}
	return 0
}

// Op is a comparison operator of a threshold.
type Op uint8

// The comparison operators, in the order the parser tries them (two-character
// operators first).
const (
	OpLE Op = iota + 1 // <=
	OpGE               // >=
	OpEQ               // ==
	OpNE               // !=
	OpLT               // <
	OpGT               // >
)

var opNames = [...]string{OpLE: "<=", OpGE: ">=", OpEQ: "==", OpNE: "!=", OpLT: "<", OpGT: ">"}

// String returns the operator as written: "<=".
func (o Op) String() string {
	if o >= OpLE && o <= OpGT {
		return opNames[o]
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// holds evaluates "v op limit".
func (o Op) holds(v, limit float64) bool {
	switch o {
	case OpLE:
		return v <= limit
	case OpGE:
		return v >= limit
	case OpEQ:
		return v == limit
	case OpNE:
		return v != limit
	case OpLT:
		return v < limit
	case OpGT:
		return v > limit
	}
	return false
}

// Threshold is one parsed threshold expression such as "p(95)<300", with its
// options.
type Threshold struct {
	// Source is the expression as the user wrote it (trimmed).
	Source string
	Stat   Stat
	Op     Op
	Value  float64
	// AbortOnFail stops the test as soon as the threshold fails, once
	// DelayAbortEval has elapsed since the start.
	AbortOnFail    bool
	DelayAbortEval time.Duration
}

// thresholdForms is appended to parse errors to say what is accepted.
const thresholdForms = "want <stat> <op> <number>, stat one of avg, min, max, med, p(N), count, rate, value " +
	"and op one of <, <=, >, >=, ==, != (e.g. 'p(95)<300', 'rate<0.01', 'count>100')"

// ParseThreshold parses one threshold expression: a stat, an operator and a
// number, with optional spaces between them ("p(99.9) <= 500"). "===" is
// accepted as "==" for k6 scripts.
func ParseThreshold(expr string) (Threshold, error) {
	src := strings.TrimSpace(expr)
	i := strings.IndexAny(src, "<>=!")
	if i < 0 {
		return Threshold{}, fmt.Errorf("threshold %q has no comparison operator: %s", src, thresholdForms)
	}
	stat, err := parseStat(strings.TrimSpace(src[:i]))
	if err != nil {
		return Threshold{}, fmt.Errorf("threshold %q: %w: %s", src, err, thresholdForms)
	}
	rest := src[i:]
	var op Op
	for o := OpLE; o <= OpGT; o++ {
		if strings.HasPrefix(rest, opNames[o]) {
			op = o
			rest = rest[len(opNames[o]):]
			break
		}
	}
	if op == OpEQ && strings.HasPrefix(rest, "=") {
		rest = rest[1:]
	}
	if op == 0 {
		return Threshold{}, fmt.Errorf("threshold %q: invalid operator: %s", src, thresholdForms)
	}
	numText := strings.TrimSpace(rest)
	v, err := strconv.ParseFloat(numText, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Threshold{}, fmt.Errorf("threshold %q: invalid number %q: %s", src, numText, thresholdForms)
	}
	return Threshold{Source: src, Stat: stat, Op: op, Value: v}, nil
}

func parseStat(s string) (Stat, error) {
	if k, ok := statNames[s]; ok {
		return Stat{Kind: k}, nil
	}
	if arg, ok := strings.CutPrefix(s, "p("); ok {
		if arg, ok = strings.CutSuffix(arg, ")"); ok {
			p, err := strconv.ParseFloat(strings.TrimSpace(arg), 64)
			if err != nil || !(p >= 0 && p <= 100) {
				return Stat{}, fmt.Errorf("invalid percentile %q (want p(N) with N from 0 to 100)", s)
			}
			return Stat{Kind: StatPercentile, P: p}, nil
		}
	}
	if s == "" {
		return Stat{}, fmt.Errorf("missing stat")
	}
	return Stat{}, fmt.Errorf("unknown stat %q", s)
}
