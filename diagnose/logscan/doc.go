// Package logscan reads logs, tracebacks and console transcripts as a stream and
// extracts rate-limit facts from them.
package logscan

// Facts are the facts of one log input.
type Facts struct{}
