package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/jsload/jsload/scheduler"
)

// optionSetting is an option of the script that a flag and a K6_* environment
// variable may set too, as in k6 (its cmd/options.go and lib/options.go name
// them). One table drives both, so that a flag and its variable read the same.
type optionSetting struct {
	flag  string // the flag's name; "" for a variable without a flag
	env   string // the K6_* variable
	key   string // the key of options it sets
	kind  valueKind
	usage string
}

// valueKind says how the text of a flag or variable becomes an option's value.
type valueKind uint8

const (
	kindInt      valueKind = iota // a whole number ≥ 0
	kindBool                      // true/false (a bare flag is true)
	kindString                    // text
	kindDuration                  // "30s", "1m30s"
	kindStages                    // "30s:10,1m:20" (repeatable flag)
	kindTags                      // NAME=VALUE (repeatable flag; NAME:VALUE,... in a variable)
	kindList                      // "a,b,c"
)

// optionSettings are the options the command line and the environment set.
// vus, duration and iterations are not here: their flags (and K6_VUS,
// K6_DURATION, K6_ITERATIONS) override the plan as scheduler.Overrides do.
var optionSettings = []optionSetting{
	{"stage", "K6_STAGES", "stages", kindStages, "add a ramping stage DURATION:TARGET, e.g. 30s:10 (repeatable; replaces options.stages)"},
	{"tag", "K6_TAGS", "tags", kindTags, "add a tag NAME=VALUE to every sample (repeatable)"},
	{"throw", "K6_THROW", "throw", kindBool, "make failed HTTP requests throw"},
	{"max-redirects", "K6_MAX_REDIRECTS", "maxRedirects", kindInt, "follow at most N redirects (default 10)"},
	{"user-agent", "K6_USER_AGENT", "userAgent", kindString, "User-Agent of the HTTP requests"},
	{"batch", "K6_BATCH", "batch", kindInt, "requests of one http.batch() at once (default 20)"},
	{"batch-per-host", "K6_BATCH_PER_HOST", "batchPerHost", kindInt, "requests of one http.batch() to one host at once (default: no limit)"},
	{"insecure-skip-tls-verify", "K6_INSECURE_SKIP_TLS_VERIFY", "insecureSkipTLSVerify", kindBool, "do not verify the servers' TLS certificates"},
	{"no-connection-reuse", "K6_NO_CONNECTION_REUSE", "noConnectionReuse", kindBool, "open a connection per HTTP request (no keep-alive)"},
	{"discard-response-bodies", "K6_DISCARD_RESPONSE_BODIES", "discardResponseBodies", kindBool, "read and drop the HTTP response bodies (responseType 'none' by default)"},
	{"min-iteration-duration", "K6_MIN_ITERATION_DURATION", "minIterationDuration", kindDuration, "least time between the starts of a VU's iterations (pacing)"},
	{"summary-trend-stats", "K6_SUMMARY_TREND_STATS", "summaryTrendStats", kindList, "the summary's trend columns, e.g. avg,med,p(95),p(99.9),max,count"},
	{"summary-time-unit", "K6_SUMMARY_TIME_UNIT", "summaryTimeUnit", kindString, "show the summary's times in s, ms or us"},
	{"http-debug", "K6_HTTP_DEBUG", "httpDebug", kindString, "log every HTTP request and response on stderr; --http-debug=full with their bodies"},
	{"", "K6_NO_COOKIES_RESET", "noCookiesReset", kindBool, ""},
	{"", "K6_SETUP_TIMEOUT", "setupTimeout", kindDuration, ""},
	{"", "K6_TEARDOWN_TIMEOUT", "teardownTimeout", kindDuration, ""},
	{"", "K6_TLS_CIPHER_SUITES", "tlsCipherSuites", kindList, ""},
}

// registerOptionFlags registers the flags of optionSettings.
func registerOptionFlags(fs *pflag.FlagSet) {
	for _, s := range optionSettings {
		switch {
		case s.flag == "":
		case s.kind == kindStages:
			fs.StringArrayP(s.flag, "s", nil, s.usage)
		case s.kind == kindTags:
			fs.StringArray(s.flag, nil, s.usage)
		case s.kind == kindBool:
			fs.Bool(s.flag, false, s.usage)
		default:
			fs.String(s.flag, "", s.usage)
		}
	}
	fs.Lookup("http-debug").NoOptDefVal = "headers"
}

// optionLayers reads the options that the config file, the environment and
// the flags give, in k6's order (scheduler.OptionLayer).
func optionLayers(fs *pflag.FlagSet, f *runFlags, env map[string]string) ([]scheduler.OptionLayer, error) {
	var layers []scheduler.OptionLayer
	if f.config != "" {
		l, err := readConfigFile(f.config)
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	fromEnv, fromFlags := map[string]any{}, map[string]any{}
	var envNames []string
	for _, s := range optionSettings {
		if text, ok := env[s.env]; ok {
			v, err := settingValue(s, []string{text}, true)
			if err != nil {
				return nil, fmt.Errorf("environment variable %s=%q: %w", s.env, text, err)
			}
			fromEnv[s.key] = v
			envNames = append(envNames, s.env)
		}
		if s.flag != "" && fs.Lookup(s.flag) != nil && fs.Changed(s.flag) {
			v, err := settingValue(s, flagTexts(fs, s), false)
			if err != nil {
				return nil, fmt.Errorf("--%s: %w", s.flag, err)
			}
			fromFlags[s.key] = v
		}
	}
	for _, l := range []struct {
		source string
		m      map[string]any
	}{{"the " + strings.Join(envNames, ", ") + " variables", fromEnv}, {"the command-line flags", fromFlags}} {
		if len(l.m) > 0 {
			raw, _ := json.Marshal(l.m) // of strings, numbers, booleans: never fails
			layers = append(layers, scheduler.OptionLayer{Source: l.source, Raw: raw, OverScript: true})
		}
	}
	return layers, nil
}

// flagTexts returns the values a flag was given.
func flagTexts(fs *pflag.FlagSet, s optionSetting) []string {
	if s.kind == kindStages || s.kind == kindTags {
		list, _ := fs.GetStringArray(s.flag)
		return list
	}
	return []string{fs.Lookup(s.flag).Value.String()}
}

// settingValue turns the texts of a flag or variable into the option's value.
func settingValue(s optionSetting, texts []string, fromEnv bool) (any, error) {
	text := texts[0]
	switch s.kind {
	case kindInt:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("want a whole number, 0 or more")
		}
		return n, nil
	case kindBool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("want true or false")
		}
		return b, nil
	case kindDuration:
		if _, err := scheduler.ParseDuration(text); err != nil {
			return nil, err
		}
		return strings.TrimSpace(text), nil
	case kindList:
		return splitList(text), nil
	case kindStages:
		return parseStageList(texts)
	case kindTags:
		return parseTagList(texts, fromEnv)
	}
	return text, nil
}

// splitList splits "a,b , c" into its non-empty items; a comma inside
// parentheses ("p(99.9)") does not split.
func splitList(text string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) {
			switch text[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
			if text[i] != ',' || depth > 0 {
				continue
			}
		}
		if item := strings.TrimSpace(text[start:i]); item != "" {
			out = append(out, item)
		}
		start = i + 1
	}
	return out
}

// parseStageList reads stages written DURATION:TARGET, several to a text
// separated by commas, as k6's --stage and K6_STAGES take them.
func parseStageList(texts []string) ([]map[string]any, error) {
	var stages []map[string]any
	for _, text := range texts {
		for _, item := range splitList(text) {
			d, target, ok := strings.Cut(item, ":")
			if !ok {
				return nil, fmt.Errorf("invalid stage %q: write DURATION:TARGET, e.g. 30s:10", item)
			}
			if _, err := scheduler.ParseDuration(d); err != nil {
				return nil, fmt.Errorf("stage %q: %w", item, err)
			}
			n, err := strconv.ParseInt(strings.TrimSpace(target), 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("stage %q: the target %q must be a whole number of VUs, 0 or more", item, target)
			}
			stages = append(stages, map[string]any{"duration": strings.TrimSpace(d), "target": n})
		}
	}
	return stages, nil
}

// parseTagList reads NAME=VALUE tags (each flag one; a variable holds several
// separated by commas, NAME=VALUE or k6's NAME:VALUE).
func parseTagList(texts []string, fromEnv bool) (map[string]string, error) {
	if fromEnv {
		texts = splitList(texts[0])
	}
	tags := map[string]string{}
	for _, t := range texts {
		k, v, ok := strings.Cut(t, "=")
		if !ok && fromEnv {
			k, v, ok = strings.Cut(t, ":")
		}
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("invalid tag %q: write NAME=VALUE, e.g. team=shop", t)
		}
		tags[strings.TrimSpace(k)] = v
	}
	return tags, nil
}

// configKeys are the keys of a k6 config file besides options: what the
// command line says there.
var configKeys = []string{"out"}

// readConfigFile reads a k6 config file (--config): a JSON object of options,
// under the script's own. Its "out" is read by outputsOf.
func readConfigFile(path string) (scheduler.OptionLayer, error) {
	l := scheduler.OptionLayer{Source: "--config " + path}
	data, err := os.ReadFile(path)
	if err != nil {
		return l, &usageError{fmt.Errorf("--config: %w", err)}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return l, &usageError{fmt.Errorf("--config %s: not a JSON object of options (%v), e.g. {\"vus\": 10, \"duration\": \"30s\"}", path, err)}
	}
	for _, k := range configKeys {
		delete(fields, k)
	}
	l.Raw, _ = json.Marshal(fields) // re-encodes what was just decoded
	if _, err := scheduler.ParseOptions(l.Raw); err != nil {
		return l, &usageError{fmt.Errorf("--config %s: %w", path, err)}
	}
	return l, nil
}

// configOutputs returns the "out" of a config file: the outputs to use when
// neither --out nor K6_OUT names any.
func configOutputs(path string) []string {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil // reported by readConfigFile
	}
	var c struct {
		Out json.RawMessage `json:"out"`
	}
	_ = json.Unmarshal(data, &c)
	var list []string
	if json.Unmarshal(c.Out, &list) != nil {
		var one string
		if json.Unmarshal(c.Out, &one) == nil && one != "" {
			list = []string{one}
		}
	}
	return slices.DeleteFunc(list, func(s string) bool { return strings.TrimSpace(s) == "" })
}
