// Command jsload runs JavaScript virtual-user scripts as a load test.
//
//	jsload run [flags] script.js
//	jsload check script.js
//	jsload version
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

func main() {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	stop := profile(os.Getenv("JSLOAD_CPUPROFILE"))
	code := cli.Main(os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig, Exit: os.Exit})
	stop()
	os.Exit(code)
}

// profile writes a CPU profile of the whole run to path (for `go tool pprof`) when
// path is set: JSLOAD_CPUPROFILE=cpu.out jsload run ... . The returned function
// stops it.
func profile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "jsload: JSLOAD_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
