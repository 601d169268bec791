// Command jsload runs JavaScript virtual-user scripts as a load test.
//
//	jsload run [flags] script.js
//	jsload check script.js
//	jsload version
package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

func main() {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	os.Exit(cli.Main(os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig}))
}
