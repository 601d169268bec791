package scheduler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Options is the script's exported `options` object, decoded and checked. Fields the
// scheduler does not interpret itself (thresholds, data) stay raw for the packages
// that do.
type Options struct {
	VUs             *int64
	Iterations      *int64
	Duration        *time.Duration
	GracefulStop    *time.Duration
	SetupTimeout    *time.Duration
	TeardownTimeout *time.Duration
	TestName        string
	TestSeriesName  string
	Thresholds      json.RawMessage
	Data            json.RawMessage
	Groups          json.RawMessage
	Stages          json.RawMessage
}

// optionKeys lists every key `options` may hold, with what it is for; anything else
// is a typo worth reporting before the test starts.
var optionKeys = map[string]string{
	"vus": "number of VUs", "iterations": "total iterations", "duration": "test duration",
	"gracefulStop": "time running iterations get to finish", "testName": "name of the test",
	"testSeriesName": "series the run belongs to",
	"thresholds":     "pass/fail criteria", "data": "data sources", "groups": "VU groups",
	"stages":       "ramping stages",
	"setupTimeout": "time setup() gets", "teardownTimeout": "time teardown() gets",
}

// ParseOptions decodes the JSON of the script's `options` export. A nil or empty
// input gives zero Options. Errors name the offending key and say what is expected.
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
		switch k {
		case "vus":
			o.VUs, err = nonNegativeInt(v)
		case "iterations":
			o.Iterations, err = nonNegativeInt(v)
		case "duration":
			o.Duration, err = durationPtr(v)
		case "gracefulStop":
			o.GracefulStop, err = durationPtr(v)
		case "setupTimeout":
			o.SetupTimeout, err = positiveDuration(v)
		case "teardownTimeout":
			o.TeardownTimeout, err = positiveDuration(v)
		case "testName":
			err = json.Unmarshal(v, &o.TestName)
		case "testSeriesName":
			err = json.Unmarshal(v, &o.TestSeriesName)
		case "thresholds":
			o.Thresholds = v
		case "data":
			o.Data = v
		case "groups":
			o.Groups = v
		case "stages":
			o.Stages = v
		case "scenarios":
			err = fmt.Errorf("jsload calls scenarios \"groups\": rename options.scenarios to options.groups")
		default:
			err = fmt.Errorf("unknown option: the options jsload knows are %s", knownOptions())
		}
		if err != nil {
			return o, fmt.Errorf("options.%s: %w", k, err)
		}
	}
	return o, nil
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
