package main

import (
	"fmt"
	"io"
)

// runDiagnose is a placeholder until the command lands.
func runDiagnose(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "diagnose: not built yet")
	return 2
}

// runRules is a placeholder until the command lands.
func runRules(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "rules: not built yet")
	return 2
}
