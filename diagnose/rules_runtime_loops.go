package diagnose

import (
	"fmt"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
)

// Thresholds of the loop signatures. A normal task repeats a message a few
// times ("continue", a re-run after a fix); five identical requests from one
// agent in one session, or five calls in a row that add the same exchange,
// no longer look like progress.
const (
	minRepeatedRequests = 5
	minGrowthSteps      = 5
	minPingPongTurns    = 8
)

// loopFix is the change that bounds a conversation, for the log's generation.
func loopFix(gen string) string {
	if gen == "0.4" {
		return `from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination

team = RoundRobinGroupChat(
    [assistant, critic],
    termination_condition=TextMentionTermination("TERMINATE") | MaxMessageTermination(12),
    max_turns=12,
)`
	}
	return `user_proxy = UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=5,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
)
user_proxy.initiate_chat(assistant, message=task, max_turns=10)`
}

var ruleRuntimeRepeatedRequest = &Rule{
	ID:       "RLD1201",
	Title:    "The same request was sent again and again",
	Cause:    CauseLoop,
	Severity: SeverityWarning,
	Article:  "agent-loops",
	Kinds:    runtimeKinds,
	Doc: `Looks through a runtime log (the 0.2/AG2 SQLite database or FileLogger file, or 0.4 LLMCall
events) for one agent sending the same request many times in one session. Two requests count as
the same when the last two messages match after folding case, whitespace and numbers, so
"attempt 3" and "attempt 4" are one request. Cache hits are not counted: they made no API call.

**Why it matters.** Every repeat is a full model call against the same per-minute budget. A chat
that keeps producing the same exchange has no stop condition that fires — the default
` + "`max_consecutive_auto_reply`" + ` is 100 and the default termination check wants the exact text
"TERMINATE" — and it usually ends in a 429.

**Exceptions.** A deliberate batch that sends one prompt per item with the item number as the only
difference looks the same; suppress the finding for that log.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			for _, l := range f.Loops {
				// other signatures have their own rules; short repeats are normal.
				if l.Kind != runlog.LoopRepeat || l.Count < minRepeatedRequests {
					continue
				}
				sev := SeverityWarning
				if l.Count >= 2*minRepeatedRequests {
					sev = SeverityError
				}
				p.Report(Diag{
					Source:   src,
					Line:     rowLine(l.Start),
					Severity: sev,
					Message: fmt.Sprintf("the same request was sent %d times by %s, starting at %s%s",
						l.Count, l.Start.Agent, l.Start.Call(), when(l.Start)),
					Evidence: evidenceRows("repeated message: "+l.Text, l.Rows),
					Fix:      loopFix(f.Generation),
				})
			}
		}
	},
}

var ruleRuntimeGrowingExchange = &Rule{
	ID:       "RLD1202",
	Title:    "The conversation grew by the same exchange on every call",
	Cause:    CauseLoop,
	Severity: SeverityWarning,
	Article:  "context-growth",
	Kinds:    runtimeKinds,
	Doc: `Follows each agent's requests in a session and looks for a run of calls where every request
has the same number of new messages as the one before and those messages repeat earlier content:
the agents are replaying one exchange while the whole history is re-sent each time.

**Why it matters.** Each call re-sends the full history, so the prompt grows with every turn and
tokens per minute climb even when the number of calls stays the same. It is the token-limit side
of an agent loop: the run hits the TPM limit (and pays for it) before it hits the RPM limit.

**Exceptions.** A long task where the same tool output legitimately comes back (polling a job
status) matches too; cap those polls or summarise them instead of re-sending them.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			for _, l := range f.Loops {
				// only growth streaks long enough to be a pattern.
				if l.Kind != runlog.LoopGrowth || l.Count < minGrowthSteps {
					continue
				}
				last := l.End
				p.Report(Diag{
					Source: src,
					Line:   rowLine(l.Start),
					Message: fmt.Sprintf("%s's requests grew by %d messages per call for %d calls in a row, repeating the same exchange, from %s%s (prompt %d tokens then, %d tokens by %s)",
						l.Agent, l.Step, l.Count, l.Start.Call(), when(l.Start), l.Start.Prompt, last.Prompt, last.Call()),
					Evidence: evidenceRows("repeated exchange: "+l.Text, l.Rows),
					Fix:      loopFix(f.Generation),
				})
			}
		}
	},
}

var ruleRuntimePingPong = &Rule{
	ID:       "RLD1203",
	Title:    "Two agents kept answering each other with the same messages",
	Cause:    CauseLoop,
	Severity: SeverityWarning,
	Article:  "agent-loops",
	Kinds:    runtimeKinds,
	Doc: `Reads the ` + "`received_message`" + ` events of a runtime log (sender → receiver) and looks for two
agents taking turns while each of them repeats one of its own recent messages. Taking turns alone
is how every two-agent chat works; taking turns with the same words is a ping-pong loop.

**Why it matters.** Each turn by an agent with an LLM is a model call. A pair that bounces the same
messages never reaches its termination check and runs until ` + "`max_consecutive_auto_reply`" + ` (100
by default) or the rate limit stops it.

**Exceptions.** Event logging must be on (the 0.2 runtime logger records events); a log without
events cannot show this signature.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			for _, l := range f.Loops {
				if l.Kind != runlog.LoopPingPong || l.Count < minPingPongTurns {
					continue
				}
				p.Report(Diag{
					Source: src,
					Line:   rowLine(l.Start),
					Message: fmt.Sprintf("%s and %s answered each other %d times in a row with repeated messages, starting at %s%s",
						l.Agent, l.Peer, l.Count, l.Start.Call(), when(l.Start)),
					Evidence: evidenceRows("", l.Rows),
					Fix:      loopFix(f.Generation),
				})
			}
		}
	},
}
