package cli

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// envFlags are the variables that stand for a flag of the command line when
// the flag is not given: the K6_* ones as k6 reads them (flags > environment >
// script options > config file), and jsload's own of a distributed run. A
// variable whose flag a command lacks is ignored there.
var envFlags = []struct{ env, flag string }{
	{"JSLOAD_SEGMENT", "segment"},
	{"JSLOAD_RUN_ID", "run-id"},
	{"JSLOAD_COORDINATOR", "coordinator"},
	{"K6_VUS", "vus"},
	{"K6_DURATION", "duration"},
	{"K6_ITERATIONS", "iterations"},
	{"K6_OUT", "out"},
	{"K6_SUMMARY_EXPORT", "summary-export"},
	{"K6_NO_THRESHOLDS", "no-thresholds"},
	{"K6_NO_SUMMARY", "no-summary"},
	{"K6_INCLUDE_SYSTEM_ENV_VARS", "include-system-env-vars"},
	{"K6_CONFIG", "config"},
}

// environMap turns KEY=VALUE pairs into a map.
func environMap(pairs []string) map[string]string {
	env := make(map[string]string, len(pairs))
	for _, kv := range pairs {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			env[k] = v
		}
	}
	return env
}

// applyEnvFlags sets the flags not given on the command line from their K6_*
// variables. K6_OUT may name several outputs, separated by commas.
func applyEnvFlags(fs *pflag.FlagSet, env map[string]string) error {
	for _, ef := range envFlags {
		text, ok := env[ef.env]
		fl := fs.Lookup(ef.flag)
		if !ok || fl == nil || fs.Changed(ef.flag) {
			continue
		}
		values := []string{text}
		if ef.flag == "out" {
			values = splitList(text)
		}
		if fl.Value.Type() == "bool" {
			if _, err := strconv.ParseBool(strings.TrimSpace(text)); err != nil {
				return &usageError{fmt.Errorf("environment variable %s=%q: want true or false", ef.env, text)}
			}
		}
		for _, v := range values {
			if err := fs.Set(ef.flag, strings.TrimSpace(v)); err != nil {
				return &usageError{fmt.Errorf("environment variable %s=%q: %v", ef.env, text, err)}
			}
		}
	}
	return nil
}

// scriptEnv returns the script's __ENV: the -e pairs, over the process's
// environment when --include-system-env-vars (or K6_INCLUDE_SYSTEM_ENV_VARS)
// asks for it. Without it a script sees only what -e gives, so that secrets
// in jsload's environment reach no script that was not meant to read them.
func scriptEnv(pairs map[string]string, includeSystem bool, system map[string]string) map[string]string {
	if !includeSystem {
		return pairs
	}
	all := maps.Clone(system)
	maps.Copy(all, pairs)
	return all
}

// processEnv returns the environment the CLI reads K6_* variables from: io's,
// or the process's.
func (io IO) processEnv() map[string]string {
	if io.Env != nil {
		return environMap(io.Env)
	}
	return environMap(os.Environ())
}

// asUsageError marks err as a usage error unless it is one already.
func asUsageError(err error) error {
	var ue *usageError
	if errors.As(err, &ue) {
		return err
	}
	return &usageError{err}
}
