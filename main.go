// Command ratelimit-doctor explains and diagnoses "rate limit exceeded" (HTTP 429)
// errors in AutoGen agent projects. It serves the fix articles and the diagnosis
// wizard (`serve`, the default) and runs the same engine from the command line
// (`diagnose`, `rules`).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(args, stdout, stderr)
	case "diagnose":
		return runDiagnose(args, stdin, stdout, stderr)
	case "rules":
		return runRules(args, stdout, stderr)
	case "help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "ratelimit-doctor: unknown command %q (want serve, diagnose or rules)\n", cmd)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `ratelimit-doctor — find and fix "rate limit exceeded" (429) in AutoGen projects

Usage:
  ratelimit-doctor [serve] [flags]          serve the articles and the diagnosis wizard
  ratelimit-doctor diagnose [flags] PATH... diagnose code, configs and logs ("-" reads stdin)
  ratelimit-doctor rules [ID]               list the diagnosis rules, or show one

Run "ratelimit-doctor COMMAND --help" for a command's flags.
`)
}
