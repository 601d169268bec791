// Package cli is the jsload command line: it parses flags (pflag), builds the test
// configuration, calls into the scheduler, prints results and decides exit codes.
// It lives apart from package main so end-to-end tests can run the real CLI code
// in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/jsload/jsload/scheduler"
)

// Exit codes, decided here and nowhere else. Those above 2 are k6's
// (its errext/exitcodes) where the meaning is the same, so that a pipeline
// written for k6 reads jsload's alike.
const (
	ExitOK            = 0
	ExitThresholds    = 99
	ExitUsage         = 2
	ExitExternalAbort = 105 // stopped by Ctrl+C or SIGTERM
	ExitScriptError   = 107
	ExitAborted       = 108 // aborted by the script (abortTest, k6's test.abort)
	ExitAllFailed     = 110 // every iteration failed (see --no-fail-on-error)
	ExitMemoryLimit   = 111 // the memory guard ended the run (see --max-memory)
	ExitOutputLost    = 112 // an output or the summary export lost metrics (a full disk)
	ExitInternalError = 1
)

// Version is jsload's version, set at build time with -ldflags "-X ...cli.Version=".
var Version = "0.1.0-dev"

// IO is where the CLI reads signals from and writes to.
type IO struct {
	Stdout, Stderr io.Writer
	// Signals delivers Ctrl+C (SIGINT) and SIGTERM; nil for none.
	Signals <-chan os.Signal
	// Env is the environment (KEY=VALUE) the K6_* variables and
	// --include-system-env-vars read; nil: the process's.
	Env []string
	// Exit ends the process at once with a code (os.Exit), as a second Ctrl+C
	// does whatever jsload is doing (interrupts.go); nil: the CLI only
	// interrupts what it can.
	Exit func(code int)
}

// scriptError marks an error found before the test started (exit 107).
type scriptError struct{ err error }

func (e *scriptError) Error() string { return e.err.Error() }
func (e *scriptError) Unwrap() error { return e.err }

// usageError marks a bad command line: a flag value or argument the flag parser
// accepted but jsload does not (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// Main runs the command line args (without the program name) and returns the exit
// code.
func Main(args []string, io IO) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(io.Stderr, "jsload: internal error: %v\nplease report it with the script that caused it\n", r)
			code = ExitInternalError
		}
	}()
	if len(args) == 0 {
		usage(io.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], io)
	case "check":
		return checkCmd(args[1:], io)
	case "demo":
		return demoCmd(args[1:], io)
	case "report":
		return reportCmd(args[1:], io)
	case "merge":
		return mergeCmd(args[1:], io)
	case "version", "--version", "-v":
		fmt.Fprintf(io.Stdout, "jsload %s\n", Version)
		return ExitOK
	case "help", "--help", "-h":
		usage(io.Stdout)
		return ExitOK
	default:
		fmt.Fprintf(io.Stderr, "jsload: unknown command %q%s\n\n", args[0], didYouMean(args[0], commands, ""))
		usage(io.Stderr)
		return ExitUsage
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `jsload runs JavaScript virtual-user scripts as a load test.

Usage:
  jsload run [flags] script.js|script.ts   run a test
  jsload check script.js                   compile and validate options without running
  jsload report <run folder | export>      make the HTML report of a run again
  jsload merge [--out FILE] export.json... merge the summary exports of a test's segments
  jsload demo                              serve the demo API on 127.0.0.1:8080
  jsload version                           print the version

Run 'jsload run --help' for the flags of a command.
`)
}

// exitCode maps an error to the exit code and prints it.
func exitCode(w io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(w, "jsload: %s\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	if errors.Is(err, scheduler.ErrInterrupted) { // Ctrl+C while the script loaded
		return ExitExternalAbort
	}
	var se *scriptError
	if errors.As(err, &se) {
		return ExitScriptError
	}
	return ExitInternalError
}

// commands are the commands Main knows, for suggestions.
var commands = []string{"run", "check", "report", "merge", "demo", "version", "help"}

// newFlagSet returns a flag set that reports errors instead of exiting; its
// --help goes to w (stdout: asked-for help is output, not an error).
func newFlagSet(name, usageLine string, w io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(w)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: %s\n\nFlags:\n%s", usageLine, fs.FlagUsages())
	}
	return fs
}

// parseEnv turns -e KEY=VALUE pairs into a map; a bare KEY takes the value of the
// variable from jsload's own environment (environ), and is an error when that has none
// (a forgotten "=" would otherwise pass an empty value without a word).
func parseEnv(pairs []string, environ map[string]string) (map[string]string, error) {
	env := make(map[string]string, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if k == "" {
			return nil, fmt.Errorf("invalid --env %q: write KEY=VALUE", p)
		}
		if !ok {
			if v, ok = environ[k]; !ok {
				return nil, fmt.Errorf("invalid --env %q: write KEY=VALUE (a bare KEY passes jsload's own variable KEY, and %s is not set)", p, k)
			}
		}
		env[k] = v
	}
	return env, nil
}

// flagError reports a flag parsing error (or a --help request) and its exit
// code. It says what was wrong in jsload's words: the nearest flag for an
// unknown one, what a number flag takes for a bad value.
func flagError(io IO, fs *pflag.FlagSet, err error) int {
	if errors.Is(err, pflag.ErrHelp) {
		return ExitOK
	}
	fmt.Fprintf(io.Stderr, "jsload %s: %s\nrun 'jsload %s --help' for the flags\n", fs.Name(), describeFlagError(fs, err), fs.Name())
	return ExitUsage
}
