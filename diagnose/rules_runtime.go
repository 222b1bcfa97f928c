package diagnose

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
)

// runtimeRules are the rules that read AutoGen runtime logs (SQLite, JSON-lines,
// 0.4 LLMCall events). Owned by the runtime-log work. Their checks live in
// rules_runtime_*.go, named after what they find.
var runtimeRules = []*Rule{
	ruleRuntimeRepeatedRequest,
	ruleRuntimeGrowingExchange,
	ruleRuntimePingPong,
	ruleRuntimeConcurrentAgents,
	ruleRuntimeFailover,
	ruleRuntimeResent,
	ruleRuntimeToolShare,
	ruleRuntimeHugeToolResult,
	ruleRuntimeRateLimited,
	ruleRuntimeQuota,
	ruleRuntimeBurst,
	ruleRuntimeNoCache,
}

// runtimeKinds is what every runtime rule reads: runtime databases, and logs,
// since FileLogger and LLMCall JSON lines are logs that also carry per-call
// facts (runtimeSources keeps only sources that have them).
var runtimeKinds = []Kind{KindRuntimeDB, KindLog}

// runtimeSources yields the inputs that carry runtime-log facts. JSON-lines
// runtime logs may arrive with another kind, so the facts decide, not the kind.
func runtimeSources(p *Pass) []*Source {
	var out []*Source
	for _, s := range p.Sources {
		if s.Runtime != nil {
			out = append(out, s)
		}
	}
	return out
}

// rowLine is the line of a JSON-lines record, 0 for a database row.
func rowLine(r runlog.Row) int {
	if r.Line {
		return int(r.ID)
	}
	return 0
}

// when is a row's time for a message, or "" when the record had none.
func when(r runlog.Row) string {
	if r.Time.IsZero() {
		return ""
	}
	return " (" + r.Time.Format("2006-01-02 15:04:05") + ")"
}

// plural writes "1 call" / "3 calls".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// evidenceRows formats a header line and evidence rows.
func evidenceRows(header string, rows []runlog.Row) string {
	var b strings.Builder
	if header != "" {
		b.WriteString(header)
		b.WriteByte('\n')
	}
	b.WriteString(runlog.Rows(rows))
	return strings.TrimRight(b.String(), "\n")
}

// readRuntimeLines reads a JSON-lines runtime log (FileLogger records or 0.4
// LLMCall events) from an input, streaming when the input is opened lazily.
func readRuntimeLines(in Input) (*runlog.Facts, error) {
	var r io.Reader
	if in.Text != nil || in.Open == nil {
		r = bytes.NewReader(in.Text)
	} else {
		rc, err := in.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		r = rc
	}
	return runlog.ReadJSONLines(r, runlog.DefaultLimits())
}
