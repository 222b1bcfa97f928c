package diagnose

import (
	"fmt"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
)

const (
	// minToolShare: tool results are at least half of everything sent.
	minToolShare = 0.5
	// minToolChars keeps the share rule quiet on tiny runs (about 5,000 tokens).
	minToolChars = 20_000
	// hugeToolResult is one tool result of about 5,000 tokens or more.
	hugeToolResult = 20_000
)

const toolFix = `MAX_TOOL_CHARS = 4000  # about 1,000 tokens; the result is re-sent on every later call

def scrape_page(url: str) -> str:
    text = fetch_text(url)
    if len(text) > MAX_TOOL_CHARS:
        text = text[:MAX_TOOL_CHARS] + "\n[truncated]"
    return text`

var ruleRuntimeToolShare = &Rule{
	ID:       "RLD4201",
	Title:    "Tool results made up most of the prompt tokens",
	Cause:    CauseNoisyTool,
	Severity: SeverityWarning,
	Article:  "noisy-tools",
	Kinds:    runtimeKinds,
	Doc: `Adds up the content of ` + "`tool`" + ` and ` + "`function`" + ` messages in every request of a runtime log and
compares it with the size of the requests. Tokens are estimated as characters / 4 where the log
has no usage. A tool result stays in the history, so it is sent again with every later call of
the conversation: one 30 KB page costs its tokens on every turn that follows.

**Fix.** Return only what the model needs from the tool (truncate, extract, summarise), and keep
raw data out of the conversation.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			share := f.ToolShare()
			// tool messages are a minor part of what was sent, or too little to matter.
			if share < minToolShare || f.ToolChars < minToolChars {
				continue
			}
			msg := fmt.Sprintf("tool results were %.0f%% of all request text (%d of %d characters, about %d tokens re-sent across %s)",
				share*100, f.ToolChars, f.RequestChars, f.ToolChars/4, plural(f.Calls, "call"))
			var ev []string
			for _, t := range f.Tools {
				ev = append(ev, fmt.Sprintf("%s: %s, %d characters returned in all, largest %d", t.Name, plural(t.Calls, "call"), t.ReturnBytes, t.MaxReturn))
			}
			p.Report(Diag{Source: src, Message: msg, Evidence: strings.Join(ev, "\n"), Fix: toolFix})
		}
	},
}

var ruleRuntimeHugeToolResult = &Rule{
	ID:       "RLD4202",
	Title:    "A tool returned a very large result",
	Cause:    CauseNoisyTool,
	Severity: SeverityWarning,
	Article:  "noisy-tools",
	Kinds:    runtimeKinds,
	Doc: `Reports the largest single tool result of a runtime log — from the ` + "`function_calls`" + ` table
(the size of ` + "`returns`" + `) or from tool messages inside requests — when it holds 20,000 characters or
more (about 5,000 tokens). One such result can exceed a low tier's tokens-per-minute limit on its
own ("Request too large"), and it is re-sent with every later call.

**Fix.** Cap what the tool returns.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			name, size := "", int64(0)
			for _, t := range f.Tools {
				if t.MaxReturn > size {
					name, size = t.Name, t.MaxReturn
				}
			}
			var rows []runlog.Row
			if f.MaxToolMessage > size {
				name, size = "a tool message", f.MaxToolMessage
				rows = []runlog.Row{f.MaxToolRow}
			}
			// every tool result stayed under the size that hurts.
			if size < hugeToolResult {
				continue
			}
			msg := fmt.Sprintf("%s returned %d characters in one result (about %d tokens)", name, size, size/4)
			ev := ""
			if len(rows) > 0 {
				msg += ", first sent at " + rows[0].Call()
				ev = evidenceRows("", rows)
			}
			p.Report(Diag{Source: src, Line: 0, Message: msg, Evidence: ev, Fix: toolFix})
		}
	},
}
