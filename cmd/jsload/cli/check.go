package cli

import "fmt"

// checkCmd compiles the script, validates its options and prints the resolved plan,
// without running anything.
func checkCmd(args []string, io IO) int {
	f := runFlags{environ: io.processEnv()}
	fs := newFlagSet("check", "jsload check [flags] script.js", io.Stdout)
	f.registerPlan(fs)
	if err := fs.Parse(args); err != nil {
		return flagError(io, fs, err)
	}
	test, path, release, err := prepare(fs, &f, io)
	if err != nil {
		return exitCode(io.Stderr, err)
	}
	defer release()
	defer test.Close()
	fmt.Fprintf(io.Stdout, "%s: ok\n", path)
	test.Plan.Describe(io.Stdout)
	return ExitOK
}
