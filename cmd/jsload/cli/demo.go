package cli

import (
	"fmt"

	"github.com/jsload/jsload/cmd/jsload/demo"
)

// demoCmd serves the demo API on a loopback address until Ctrl+C.
func demoCmd(args []string, io IO) int {
	fs := newFlagSet("demo", "jsload demo [--addr 127.0.0.1:8080]", io.Stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback address to listen on (127.0.0.1:0 picks a free port)")
	if err := fs.Parse(args); err != nil {
		return flagError(io, fs, err)
	}
	if err := demo.CheckAddr(*addr); err != nil {
		return exitCode(io.Stderr, &usageError{err})
	}
	srv, err := demo.Start(*addr)
	if err != nil {
		return exitCode(io.Stderr, err)
	}
	defer srv.Close()
	fmt.Fprintf(io.Stdout, "jsload demo API on %s (Ctrl+C to stop)\n", srv.URL())
	fmt.Fprintf(io.Stdout, "try: jsload run -e BASE_URL=%s examples/js/shop.js\n", srv.URL())
	if io.Signals != nil {
		<-io.Signals
	}
	return ExitOK
}

// startDemo starts the demo API for `run --demo` and puts its URL in BASE_URL, unless
// the user set BASE_URL with -e. The returned function stops it.
func startDemo(env map[string]string) (func(), error) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("--demo: %w", err)
	}
	if _, set := env["BASE_URL"]; !set {
		env["BASE_URL"] = srv.URL()
	}
	return func() { _ = srv.Close() }, nil
}
