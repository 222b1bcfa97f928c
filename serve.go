package main

import (
	"fmt"
	"io"
)

// runServe is a placeholder until the web server lands.
func runServe(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "serve: not built yet")
	return 2
}
