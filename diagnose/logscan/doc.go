// Package logscan reads logs, tracebacks and console transcripts as a stream and
// extracts rate-limit facts from them: every 429 with its provider, kind and
// numbers, the client's retry lines grouped into logical requests, a
// per-minute timeline, AutoGen 0.2 and 0.4 transcript turns, repeated
// messages, tool calls and tool response sizes, termination reasons and
// exception types.
//
// The scanner never holds the whole input: it reads one line at a time with a
// bounded buffer (longer lines are cut and the rest skipped, but their length is
// still counted), keeps small state machines for multi-line tracebacks, dict
// bodies and transcript blocks, and caps every list it keeps. Per-line work is a
// handful of byte searches; regular expressions only run on the few lines that
// a cheap prefilter lets through.
//
// The formats come from the shared reference (openai-python and httpx log
// lines, provider 429 bodies, AutoGen console output). Where a format was not
// verified (gateway bodies, Helicone), matching is loose and says so.
package logscan
