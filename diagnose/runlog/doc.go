// Package runlog reads AutoGen runtime logs (0.2/AG2 SQLite and JSON-lines,
// 0.4 LLMCall events) and computes per-run statistics.
package runlog

// Facts are the facts of one runtime log.
type Facts struct{}
