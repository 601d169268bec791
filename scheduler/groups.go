package scheduler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxDuration bounds the groups that end by iteration count
// (per-vu-iterations, shared-iterations) unless maxDuration says otherwise.
const DefaultMaxDuration = 10 * time.Minute

// commonGroupKeys are the settings every group takes, whatever its executor.
var commonGroupKeys = []string{"executor", "exec", "startTime", "gracefulStop", "env", "tags", "vuInit", "vuEnd", "pacing", "newBrowserEachIteration"}

// groupDefaults are what a group's missing settings default to, and the key of
// options the groups came under ("groups", or k6's "scenarios"), for messages.
type groupDefaults struct {
	key          string
	gracefulStop time.Duration
	pacing       time.Duration // k6's options.minIterationDuration
}

// parseGroups decodes options.groups into groups, in the order the script wrote
// them (VU ids are numbered group after group in that order).
func parseGroups(raw json.RawMessage, def groupDefaults) ([]*Group, error) {
	where := "options." + def.key
	names, values, err := orderedObject(raw)
	if err != nil {
		return nil, fmt.Errorf("%s must be an object of named groups, e.g. { browsing: { executor: 'constant-vus', vus: 10, duration: '1m' } }", where)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s is empty: add a group, e.g. { browsing: { executor: 'constant-vus', vus: 10, duration: '1m' } }, or remove it", where)
	}
	groups := make([]*Group, 0, len(names))
	for i, name := range names {
		if strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("%s: a group has an empty name: give it a name such as 'browsing'", where)
		}
		g, err := parseGroup(name, values[i], def)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// orderedObject decodes a JSON object, keeping its keys in order.
func orderedObject(raw json.RawMessage) ([]string, []json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, fmt.Errorf("not an object")
	}
	var keys []string
	var values []json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		key, ok := tok.(string) // always, for a decoder reading an object's keys
		if !ok {
			return nil, nil, fmt.Errorf("not an object")
		}
		keys = append(keys, key)
		values = append(values, v)
	}
	return keys, values, nil
}

// parseGroup decodes one group's settings.
func parseGroup(name string, raw json.RawMessage, def groupDefaults) (*Group, error) {
	where := "options." + def.key + "." + name
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, fmt.Errorf("%s must be an object, e.g. { executor: 'constant-vus', vus: 10, duration: '1m' }", where)
	}
	v, ok := fields["executor"]
	if !ok {
		return nil, fmt.Errorf("%s: executor is missing: choose one of %s", where, executorNames())
	}
	var executor string
	_ = json.Unmarshal(v, &executor) // not a string: "" names no executor
	kind := kindNamed(executor)
	if executor == "externally-controlled" {
		return nil, fmt.Errorf("%s.executor: jsload has no externally-controlled executor (k6's REST API that changes the VUs of a running test): use ramping-vus with stages for a load that changes over time, or constant-vus", where)
	}
	if kind == nil {
		return nil, fmt.Errorf("%s.executor: unknown executor %s: choose one of %s", where, v, executorNames())
	}
	if err := checkGroupKeys(where, kind, fields); err != nil {
		return nil, err
	}
	f := &groupFields{where: where, fields: fields}
	g := &Group{
		Name:         name,
		Exec:         f.str("exec", "default"),
		StartTime:    f.duration("startTime", 0),
		GracefulStop: f.duration("gracefulStop", def.gracefulStop),
		Env:          f.strings("env"),
		Tags:         f.strings("tags"),
		VUInit:       f.str("vuInit", "vuInit"),
		VUEnd:        f.str("vuEnd", "vuEnd"),
		Pacing:       f.duration("pacing", def.pacing),
		newBrowser:   f.boolean("newBrowserEachIteration"),
	}
	g.Executor = kind.build(f)
	if f.err != nil {
		return nil, f.err
	}
	return g, nil
}

// checkGroupKeys rejects settings that are unknown, or known but not used by kind.
func checkGroupKeys(where string, kind *executorKind, fields map[string]json.RawMessage) error {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	valid := append(slices.Clone(commonGroupKeys), kind.keys...)
	for _, k := range keys {
		if slices.Contains(valid, k) {
			continue
		}
		for _, other := range executorKinds {
			if slices.Contains(other.keys, k) {
				return fmt.Errorf("%s.%s: a %s group does not use %s; its settings are %s",
					where, k, kind.name, k, strings.Join(valid, ", "))
			}
		}
		return fmt.Errorf("%s: unknown key %q; the settings of a %s group are %s",
			where, k, kind.name, strings.Join(valid, ", "))
	}
	return nil
}

// groupFields reads a group's settings, keeping the first error.
type groupFields struct {
	where  string
	fields map[string]json.RawMessage
	err    error
}

func (f *groupFields) fail(key string, err error) {
	if f.err == nil {
		f.err = fmt.Errorf("%s.%s: %w", f.where, key, err)
	}
}

func (f *groupFields) str(key, def string) string {
	v, ok := f.fields[key]
	if !ok {
		return def
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil || s == "" {
		f.fail(key, fmt.Errorf("must be the name of an exported function, got %s", v))
	}
	return s
}

func (f *groupFields) duration(key string, def time.Duration) time.Duration {
	v, ok := f.fields[key]
	if !ok {
		return def
	}
	d, err := durationPtr(v)
	if err != nil {
		f.fail(key, err)
		return def
	}
	return *d
}

// boolean reads true or false; nil when the key is missing.
func (f *groupFields) boolean(key string) *bool {
	v, ok := f.fields[key]
	if !ok {
		return nil
	}
	b, err := boolPtr(v)
	if err != nil {
		f.fail(key, err)
	}
	return b
}

// count reads a whole number ≥ min.
func (f *groupFields) count(key string, def, min int64) int64 {
	v, ok := f.fields[key]
	if !ok {
		return def
	}
	n, err := nonNegativeInt(v)
	if err == nil && *n < min {
		err = fmt.Errorf("must be at least %d, got %d", min, *n)
	}
	if err != nil {
		f.fail(key, err)
		return def
	}
	return *n
}

// required records an error when key is missing.
func (f *groupFields) required(key, example string) {
	if _, ok := f.fields[key]; !ok {
		f.fail(key, fmt.Errorf("missing: set it, e.g. %s: %s", key, example))
	}
}

// strings reads an object of strings (numbers and booleans are turned into text).
func (f *groupFields) strings(key string) map[string]string {
	v, ok := f.fields[key]
	if !ok {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(v, &m); err != nil {
		f.fail(key, fmt.Errorf("must be an object of names and text values, e.g. { KEY: 'value' }"))
		return nil
	}
	out := make(map[string]string, len(m))
	for k, val := range m {
		switch x := val.(type) {
		case string:
			out[k] = x
		case float64:
			out[k] = strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			out[k] = strconv.FormatBool(x)
		default:
			f.fail(key, fmt.Errorf("%s must be text, a number or a boolean, got %v", k, val))
		}
	}
	return out
}

// stages reads an array of { duration, target }; it is required and not empty.
func (f *groupFields) stages(key, unit string) []Stage {
	f.required(key, "[{ duration: '30s', target: 10 }]")
	v, ok := f.fields[key]
	if !ok {
		return nil
	}
	st, err := parseStages(v, unit)
	if err != nil {
		f.fail(key, err)
	}
	return st
}

// clip shortens a JSON value quoted in a message.
func clip(raw json.RawMessage) string {
	if len(raw) > 60 {
		return string(raw[:57]) + "..."
	}
	return string(raw)
}

// parseStages decodes stages of { duration, target }; unit names what target
// counts, for messages.
func parseStages(raw json.RawMessage, unit string) ([]Stage, error) {
	const example = "[{ duration: '30s', target: 10 }, { duration: '1m', target: 10 }]"
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("must be an array of stages such as %s, got %s", example, clip(raw))
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("is empty: give at least one stage, e.g. %s", example)
	}
	stages := make([]Stage, len(items))
	for i, item := range items {
		at := fmt.Sprintf("[%d]", i)
		var s map[string]json.RawMessage
		if err := json.Unmarshal(item, &s); err != nil || s == nil {
			return nil, fmt.Errorf("%s: must be a stage such as { duration: '30s', target: 10 }, got %s", at, clip(item))
		}
		for k := range s {
			if k != "duration" && k != "target" {
				return nil, fmt.Errorf("%s: unknown key %q: a stage has a duration and a target", at, k)
			}
		}
		d, ok := s["duration"]
		t, ok2 := s["target"]
		if !ok || !ok2 {
			return nil, fmt.Errorf("%s: a stage needs a duration and a target, e.g. { duration: '30s', target: 10 }", at)
		}
		dur, err := durationPtr(d)
		if err != nil {
			return nil, fmt.Errorf("%s.duration: %w", at, err)
		}
		var target float64
		if err := json.Unmarshal(t, &target); err != nil || target != float64(int64(target)) {
			return nil, fmt.Errorf("%s.target: must be a whole number of %s, got %s", at, unit, t)
		}
		if target < 0 {
			return nil, fmt.Errorf("%s.target: %s is negative: a stage's target is the number of %s at its end, 0 or more", at, t, unit)
		}
		stages[i] = Stage{Duration: *dur, Target: int64(target)}
	}
	if stagesDuration(stages) <= 0 {
		return nil, fmt.Errorf("the stages last 0s in total: give at least one stage a duration")
	}
	return stages, nil
}
