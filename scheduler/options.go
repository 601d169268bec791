package scheduler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/jsload/jsload/bindings"
)

// Options is the script's exported `options` object, decoded and checked. Fields the
// scheduler does not interpret itself (thresholds, data) stay raw for the packages
// that do.
type Options struct {
	VUs          *int64
	Iterations   *int64
	Duration     *time.Duration
	GracefulStop *time.Duration
	// SetupTimeout and TeardownTimeout bound setup() and teardown(); nil for
	// the defaults (DefaultSetupTimeout, DefaultTeardownTimeout).
	SetupTimeout    *time.Duration
	TeardownTimeout *time.Duration
	TestName        string
	TestSeriesName  string
	Thresholds      json.RawMessage
	Data            json.RawMessage
	// Groups is options.groups, or k6's options.scenarios, which is the same
	// thing; GroupsKey says which of the two the script wrote.
	Groups    json.RawMessage
	GroupsKey string
	Stages    json.RawMessage
	// MaxResponseBodySize is the default body limit of HTTP responses, in
	// bytes; 0 when not set (the HTTP binding's default applies).
	MaxResponseBodySize int64
	// HTTP are k6's options of the HTTP client (maxRedirects, userAgent, hosts...).
	HTTP bindings.HTTPOptions
	// Tags are options.tags: tags added to every sample of the test.
	Tags map[string]string
	// MinIterationDuration is k6's options.minIterationDuration: the default
	// pacing of the groups that take one.
	MinIterationDuration time.Duration
	// SummaryTrendStats are the columns of the summary's trends
	// (options.summaryTrendStats, e.g. avg, p(95), max); nil: the default ones.
	SummaryTrendStats []string
	// SummaryTimeUnit is options.summaryTimeUnit: "s", "ms" or "us" to show
	// every time of the summary in that unit; "": each in the unit that suits it.
	SummaryTimeUnit string
	// Warnings name the options that were read but that jsload does not
	// apply (k6 options it has no equivalent for), one line each.
	Warnings []string
	// NewBrowserEachIteration is the default of every group's
	// newBrowserEachIteration; nil when not set (DefaultNewBrowserEachIteration).
	NewBrowserEachIteration *bool
	// NoCookiesReset is k6's options.noCookiesReset: when newBrowserEachIteration
	// is not set, true means newBrowserEachIteration false; nil when not set.
	NoCookiesReset *bool
	// NoVUConnectionReuse is k6's options.noVUConnectionReuse: when
	// newBrowserEachIteration is not set, true closes a VU's connections
	// between its iterations; nil when not set.
	NoVUConnectionReuse *bool
	// K6 is set (by the test, not by options) when the script imports a k6
	// module: unless newBrowserEachIteration is set, its groups renew a VU's
	// cookies and connections between iterations as k6 does.
	K6 bool `json:"-"`
}

// optionKeys lists every key `options` may hold, with what it is for; anything else
// is a typo worth reporting before the test starts.
var optionKeys = merged(jsloadOptionKeys, k6OptionKeys)

var jsloadOptionKeys = map[string]string{
	"vus": "number of VUs", "iterations": "total iterations", "duration": "test duration",
	"gracefulStop": "time running iterations get to finish", "testName": "name of the test",
	"testSeriesName": "series the run belongs to",
	"thresholds":     "pass/fail criteria", "data": "data sources", "groups": "VU groups",
	"scenarios": "VU groups (k6's name for groups)",
	"stages":    "ramping stages", "maxResponseBodySize": "largest HTTP response body a request reads",
	"newBrowserEachIteration": "whether each iteration starts with a new browser (cookies, connections)",
	"setupTimeout":            "time setup() gets", "teardownTimeout": "time teardown() gets",
}

// optionParser decodes the value of one key of options into o.
type optionParser func(o *Options, v json.RawMessage) error

// optionParsers decode one key of options each: jsload's own and the k6
// options jsload applies (k6options.go).
var optionParsers = merged(jsloadOptionParsers, k6OptionParsers)

// jsloadOptionParsers decode jsload's own options.
var jsloadOptionParsers = map[string]optionParser{
	"vus":          func(o *Options, v json.RawMessage) (err error) { o.VUs, err = nonNegativeInt(v); return err },
	"iterations":   func(o *Options, v json.RawMessage) (err error) { o.Iterations, err = nonNegativeInt(v); return err },
	"duration":     func(o *Options, v json.RawMessage) (err error) { o.Duration, err = durationPtr(v); return err },
	"gracefulStop": func(o *Options, v json.RawMessage) (err error) { o.GracefulStop, err = durationPtr(v); return err },
	"setupTimeout": func(o *Options, v json.RawMessage) (err error) { o.SetupTimeout, err = positiveDuration(v); return err },
	"teardownTimeout": func(o *Options, v json.RawMessage) (err error) {
		o.TeardownTimeout, err = positiveDuration(v)
		return err
	},
	"testName": func(o *Options, v json.RawMessage) (err error) {
		o.TestName, err = parseTestName(v)
		return err
	},
	"testSeriesName": func(o *Options, v json.RawMessage) error { return json.Unmarshal(v, &o.TestSeriesName) },
	"thresholds":     func(o *Options, v json.RawMessage) error { o.Thresholds = v; return nil },
	"data":           func(o *Options, v json.RawMessage) error { o.Data = v; return nil },
	"groups":         func(o *Options, v json.RawMessage) error { return o.setGroups("groups", v) },
	"scenarios":      func(o *Options, v json.RawMessage) error { return o.setGroups("scenarios", v) },
	"stages":         func(o *Options, v json.RawMessage) error { o.Stages = v; return nil },
	"newBrowserEachIteration": func(o *Options, v json.RawMessage) (err error) {
		o.NewBrowserEachIteration, err = boolPtr(v)
		return err
	},
	"maxResponseBodySize": func(o *Options, v json.RawMessage) error {
		var size any
		err := json.Unmarshal(v, &size)
		if err == nil {
			o.MaxResponseBodySize, err = bindings.ParseSize(size)
		}
		return err
	},
}

// merged returns the union of the maps.
func merged[V any](ms ...map[string]V) map[string]V {
	out := map[string]V{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// ParseOptions decodes the JSON of the script's `options` export. A nil or empty
// input gives zero Options. Errors name the offending key and say what is expected.
// The k6 options jsload does not apply are accepted with a warning each
// (Options.Warnings); a key that is neither jsload's nor k6's is an error.
func ParseOptions(raw []byte) (Options, error) {
	var o Options
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return o, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return o, fmt.Errorf("options must be an object, e.g. export const options = { vus: 10, duration: '30s' }")
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := fields[k]
		var err error
		if parse, ok := optionParsers[k]; ok {
			err = parse(&o, v)
		} else if why, ok := k6Unsupported[k]; ok {
			if present(v) && string(v) != "false" {
				o.Warnings = append(o.Warnings, fmt.Sprintf("options.%s is a k6 option jsload does not apply: %s", k, why))
			}
		} else {
			err = fmt.Errorf("unknown option: the options jsload knows are %s", knownOptions())
		}
		if err != nil {
			return o, fmt.Errorf("options.%s: %w", k, err)
		}
	}
	return o, nil
}

// setGroups records options.groups or options.scenarios; a script has one of them.
func (o *Options) setGroups(key string, v json.RawMessage) error {
	if o.GroupsKey != "" {
		return fmt.Errorf("options has both groups and scenarios, which are one thing (scenarios is k6's name): keep one")
	}
	o.Groups, o.GroupsKey = v, key
	return nil
}

func knownOptions() string {
	names := make([]string, 0, len(optionKeys))
	for k := range optionKeys {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func nonNegativeInt(v json.RawMessage) (*int64, error) {
	var f float64
	if err := json.Unmarshal(v, &f); err != nil || string(v) == "null" || f != float64(int64(f)) || f < 0 {
		return nil, fmt.Errorf("must be a whole number ≥ 0, got %s", v)
	}
	n := int64(f)
	return &n, nil
}

func boolPtr(v json.RawMessage) (*bool, error) {
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return nil, fmt.Errorf("must be true or false, got %s", v)
	}
	return &b, nil
}

func positiveDuration(v json.RawMessage) (*time.Duration, error) {
	d, err := durationPtr(v)
	if err == nil && *d <= 0 {
		err = fmt.Errorf("is 0: give the time it gets, e.g. '2m'")
	}
	return d, err
}

func durationPtr(v json.RawMessage) (*time.Duration, error) {
	var d Duration
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, err
	}
	td := time.Duration(d)
	return &td, nil
}
