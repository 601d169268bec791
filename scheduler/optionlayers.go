package scheduler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// OptionLayer is a set of options given from outside the script, in the JSON of
// the script's options: a k6 config file (--config), K6_* environment variables,
// command-line flags. Layers apply as k6 applies its own (its cmd/config.go):
//
//	config file < script's options < environment < command line
//
// each key of a higher layer replacing the same key of the layers under it.
type OptionLayer struct {
	// Source names the layer in notes and errors, e.g. "--config k6.json".
	Source string
	// Raw is a JSON object of options' keys.
	Raw json.RawMessage
	// OverScript places the layer over the script's options (environment,
	// command line); a layer under them is a config file's.
	OverScript bool
}

// planKeys are the options that say how the test runs. As in k6, a layer that
// sets one of the shortcut keys or the groups replaces the lower layers' values
// of all of them: K6_DURATION=10s runs a script with scenarios as one group of
// 10s. vus is not among them: it is the shortcut's VU count whatever sets it,
// unless a higher layer sets groups, which have VUs of their own.
var planKeys = []string{"duration", "iterations", "stages", "groups", "scenarios"}

// mergeOptions applies layers to the script's options (raw, its options
// export as JSON) and returns the options to run with and a note for each
// layer that replaced the script's or a lower layer's groups.
func mergeOptions(raw json.RawMessage, layers []OptionLayer) (json.RawMessage, []string, error) {
	if len(layers) == 0 {
		return raw, nil, nil
	}
	ordered := make([]OptionLayer, 0, len(layers)+1)
	for _, l := range layers {
		if !l.OverScript {
			ordered = append(ordered, l)
		}
	}
	ordered = append(ordered, OptionLayer{Source: "the script's options", Raw: raw})
	for _, l := range layers {
		if l.OverScript {
			ordered = append(ordered, l)
		}
	}
	out := map[string]json.RawMessage{}
	groupsFrom := ""
	var notes []string
	for _, l := range ordered {
		fields, err := layerFields(l)
		if err != nil {
			return nil, nil, err
		}
		if slices.ContainsFunc(planKeys, func(k string) bool { _, ok := fields[k]; return ok }) {
			if groupsFrom != "" && groupsFrom != l.Source {
				notes = append(notes, fmt.Sprintf("%s replace%s the groups (scenarios) of %s", l.Source, verbS(l.Source), groupsFrom))
			}
			for _, k := range planKeys {
				delete(out, k)
			}
			if _, ok := fields["groups"]; ok {
				delete(out, "vus") // the VUs of a lower layer's shortcut: groups set their own
			} else if _, ok := fields["scenarios"]; ok {
				delete(out, "vus")
			}
			groupsFrom = ""
		}
		maps.Copy(out, fields)
		if _, ok := fields["groups"]; ok {
			groupsFrom = l.Source
		} else if _, ok := fields["scenarios"]; ok {
			groupsFrom = l.Source
		}
	}
	merged, err := json.Marshal(out)
	return merged, notes, err
}

// verbS agrees "replace" with a source that names one thing ("the command
// line") or several ("the K6_* variables").
func verbS(source string) string {
	if strings.HasSuffix(source, "flags") || strings.HasSuffix(source, "variables") {
		return ""
	}
	return "s"
}

// layerFields decodes a layer; null or empty options are no keys.
func layerFields(l OptionLayer) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if !present(bytes.TrimSpace(l.Raw)) {
		return fields, nil
	}
	if err := json.Unmarshal(l.Raw, &fields); err != nil {
		return nil, fmt.Errorf("%s: options must be an object, e.g. { \"vus\": 10, \"duration\": \"30s\" }", l.Source)
	}
	for k, v := range fields {
		if !present(v) {
			delete(fields, k) // a null key sets nothing, as in k6
		}
	}
	return fields, nil
}
