// Command scan runs the streaming log scanner over one file and prints a
// summary: the benchmark's stand-in for `ratelimit-doctor diagnose FILE` on logs.
package main

import (
	"fmt"
	"os"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: scan FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(2)
	}
	defer f.Close()
	facts, err := logscan.Scan(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
	fmt.Printf("lines %d, requests %d, 429 %d, rate-limit messages %d (%d distinct), retries %d, chains %d, minutes %d, messages %d, tool results %d\n",
		facts.Lines, facts.HTTPRequests, facts.HTTP429, facts.RateLimitsN, len(facts.RateLimits), facts.RetriesN,
		len(facts.Requests), len(facts.Timeline), facts.Messages, facts.ToolResultN)
}
