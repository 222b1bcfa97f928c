package diagnose

import (
	"fmt"
	"strings"
)

// Thresholds of the transcript rules.
const (
	logRepeatMin      = 5     // the same message this often is a loop's signature
	logPingPongTurns  = 20    // messages between one pair before a long exchange is suspicious
	logToolCycleMin   = 3     // the same tool call with the same arguments
	logHugeToolResult = 20000 // characters
	logSelectFailMin  = 3
)

var ruleLogRepeatedMessage = &Rule{
	ID:       "RLD1101",
	Title:    "The same message repeats many times in the transcript",
	Cause:    CauseLoop,
	Severity: SeverityWarning,
	Article:  "agent-loops",
	Kinds:    []Kind{KindLog},
	Doc: `Hashes every message of an AutoGen 0.2/AG2 transcript (` + "`sender (to recipient):`" + ` blocks) and of an
AutoGen 0.4 Console stream (` + "`---------- TextMessage (agent) ----------`" + `), after folding whitespace,
numbers and ids, and flags a message that one sender sent five times or more.

**Why it matters.** Agents that keep sending the same text are stuck: each repeat is another model
call, and a loop is the commonest way an agent script reaches its requests-per-minute limit.

**Fix.** Give the chat a stop condition the model actually meets and a hard cap on turns.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD1101]`" + `.`,
	Run: checkLogRepeatedMessage,
}

func checkLogRepeatedMessage(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		for _, r := range f.Repeats {
			if r.Count < logRepeatMin {
				continue
			}
			p.Report(Diag{Source: src, Line: r.Line, EndLine: r.LastLine,
				Message: fmt.Sprintf("%s sent the same message %d times (first at line %d, last at line %d): the agents are going round in a loop",
					r.Sender, r.Count, r.Line, r.LastLine),
				Evidence: r.Text, Fix: fixTermination(f.Generation)})
		}
	}
}

var ruleLogPingPong = &Rule{
	ID:       "RLD1102",
	Title:    "Two agents exchange many messages and nothing stops them",
	Cause:    CauseLoop,
	Severity: SeverityWarning,
	Article:  "agent-loops",
	Kinds:    []Kind{KindLog},
	Doc: `Counts the messages each pair of agents exchanges in a transcript and flags a pair with 20 or more
when the conversation did not end by a termination message: no "TERMINATE" in the pair's last message and
no AG2 ` + "`TERMINATING RUN`" + ` / 0.4 ` + "`Finish reason:`" + ` line other than a turn or round cap. To avoid
flagging a long but healthy chat, it also needs one sign of trouble: repeated messages in the pair, a
rate-limit error in the same log, or a run that only stopped at its cap.

**Why it matters.** Two agents that answer each other automatically call the model on every turn; with
the 0.2 default of 100 consecutive auto-replies that is a burst of calls.

**Fix.** A termination check that matches the model's real closing words, and a small turn cap.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD1102]`" + `.`,
	Run: checkLogPingPong,
}

func checkLogPingPong(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		stoppedByCondition, capReason := false, ""
		for _, t := range f.Terminations {
			if t.Cap {
				capReason = t.Reason
			} else {
				stoppedByCondition = true
			}
		}
		if stoppedByCondition {
			continue // the run ended on its own condition
		}
		for _, pr := range f.Pairs {
			if pr.Turns < logPingPongTurns || pr.LastTerms {
				continue
			}
			if isGroupManager(pr.A) || isGroupManager(pr.B) {
				continue // a group chat: every speaker talks "to" the manager; max_round bounds it
			}
			var why string
			switch {
			case pr.Repeats >= 3:
				why = fmt.Sprintf("%d of the messages repeat earlier ones", pr.Repeats)
			case capReason != "":
				why = "the run only stopped at its cap (" + capReason + ")"
			case f.RateLimitsN > 0 || f.HTTP429 > 0:
				why = "and the log ends in rate-limit errors"
			default:
				continue // a long exchange alone is not a fault
			}
			msg := fmt.Sprintf("%s and %s exchanged %d messages (lines %d-%d) with no termination message; %s",
				pr.A, pr.B, pr.Turns, pr.Line, pr.EndLine, why)
			p.Report(Diag{Source: src, Line: pr.Line, EndLine: pr.EndLine, Message: msg,
				Evidence: fmt.Sprintf("%s (to %s): ... %d messages ...", pr.A, pr.B, pr.Turns),
				Fix:      fixTermination(f.Generation)})
		}
	}
}

// isGroupManager: AutoGen 0.2's default GroupChatManager name (and the
// common variants), which every group-chat message is addressed to.
func isGroupManager(name string) bool {
	n := strings.ToLower(name)
	return n == "chat_manager" || strings.HasSuffix(n, "_manager") || n == "manager" || n == "groupchatmanager"
}

var ruleLogToolCycle = &Rule{
	ID:       "RLD4102",
	Title:    "The same tool is called again and again with the same arguments",
	Cause:    CauseNoisyTool,
	Severity: SeverityWarning,
	Article:  "noisy-tools",
	Kinds:    []Kind{KindLog},
	Doc: `Collects the tool calls of a transcript (0.2 ` + "`***** Suggested tool call (id): name *****`" + ` with its
arguments, 0.4 ` + "`ToolCallRequestEvent`" + ` ` + "`FunctionCall(...)`" + `) and flags one tool called three times or more
with the same arguments.

**Why it matters.** The model calls the tool again because the result did not settle its question: an
error text, an empty or truncated result, or too much noise to read. Every cycle is two more model calls.

**Fix.** Make the tool's result short and final (say clearly when there is nothing more to find), cache
its results, and bound the tool iterations.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD4102]`" + `.`,
	Run: checkLogToolCycle,
}

func checkLogToolCycle(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		for _, tc := range f.ToolCalls {
			if tc.Count < logToolCycleMin {
				continue
			}
			args := tc.Args
			if args == "" || args == "{}" {
				if tc.Count < 2*logToolCycleMin {
					continue // a tool without arguments (a clock, a status check) is often called again on purpose
				}
				args = "(no arguments)"
			}
			p.Report(Diag{Source: src, Line: tc.Line, EndLine: tc.LastLine,
				Message: fmt.Sprintf("tool %s was called %d times with the same arguments %s (first at line %d, last at line %d): its result does not settle the question",
					tc.Name, tc.Count, args, tc.Line, tc.LastLine),
				Evidence: tc.Name + " " + args,
				Fix:      fixToolCycle(f.Generation, tc.Name)})
		}
	}
}

func fixToolCycle(gen, name string) string {
	fix := fmt.Sprintf(`# Make %[1]s's answer final and remember it, so a repeat costs no call
import functools

@functools.lru_cache(maxsize=256)
def %[1]s_cached(*args):
    result = %[1]s(*args)
    return result if result else "No result. Do not call %[1]s again with these arguments."`, pyIdent(name))
	if gen != "0.2" {
		fix += `

# AutoGen 0.4+: stop a team when the tool keeps being called
from autogen_agentchat.conditions import MaxMessageTermination
team = RoundRobinGroupChat([assistant], termination_condition=MaxMessageTermination(12))`
	}
	return fix
}

// pyIdent keeps a tool name usable in a Python snippet.
func pyIdent(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "tool"
	}
	return b.String()
}

var ruleLogHugeToolResult = &Rule{
	ID:       "RLD4101",
	Title:    "A tool response is huge",
	Cause:    CauseNoisyTool,
	Severity: SeverityWarning,
	Article:  "noisy-tools",
	Kinds:    []Kind{KindLog},
	Doc: `Measures every tool response in a transcript (0.2 ` + "`***** Response from calling tool (id) *****`" + ` blocks,
0.4 ` + "`ToolCallExecutionEvent`" + ` messages) and flags those over 20,000 characters (about 5,000 tokens).

**Why it matters.** The response becomes part of the history that every later call resends, so one
large result multiplies the tokens of the whole conversation and runs into the tokens-per-minute limit.

**Fix.** Return only what the model needs: cut, summarise or page the result inside the tool.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD4101]`" + `.`,
	Run: checkLogHugeToolResult,
}

func checkLogHugeToolResult(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		for _, tr := range f.ToolResults {
			if tr.Size <= logHugeToolResult {
				continue
			}
			who := tr.Name
			if who == "" {
				who = tr.ID
			}
			if who != "" {
				who = " (" + who + ")"
			}
			p.Report(Diag{Source: src, Line: tr.Line, EndLine: tr.EndLine,
				Message: fmt.Sprintf("tool response%s of %s characters (about %s tokens): every later call resends it",
					who, fmtInt(int64(tr.Size)), fmtInt(int64(tr.Size/4))),
				Evidence: fmt.Sprintf("tool response%s: %s characters", who, fmtInt(int64(tr.Size))),
				Fix: `Cut the result inside the tool before returning it:

MAX_CHARS = 4000

def fetch_page(url: str) -> str:
    text = download(url)
    if len(text) > MAX_CHARS:
        return text[:MAX_CHARS] + f"\n[... {len(text) - MAX_CHARS} characters cut; ask for a section]"
    return text`})
		}
	}
}

var ruleLogSpeakerSelection = &Rule{
	ID:       "RLD7101",
	Title:    "Speaker selection keeps failing and costs extra calls",
	Cause:    CauseSpeakerSelection,
	Severity: SeverityInfo,
	Article:  "group-chat-calls",
	Kinds:    []Kind{KindLog},
	Doc: `Counts group-chat speaker-selection failures: AG2's "Select speaker attempt #N failed as it did not
include any agent names" and 0.2's "GroupChat select_speaker failed to resolve the next speaker's name",
and flags three or more.

**Why it matters.** With ` + "`speaker_selection_method=\"auto\"`" + ` every round costs one model call to pick the
speaker, and every failed pick another (up to ` + "`max_retries_for_selecting_speaker`" + `, 2 by default).

**Fix.** Use ` + "`round_robin`" + ` or a function for predictable flows, or constrain the transitions.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD7101]`" + `.`,
	Run: checkLogSpeakerSelection,
}

func checkLogSpeakerSelection(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		if f.SelectSpeakerFailures < logSelectFailMin {
			continue
		}
		p.Report(Diag{Source: src, Line: f.SelectSpeakerLine,
			Message:  fmt.Sprintf("speaker selection failed %d times (first at line %d): each failure is one more model call", f.SelectSpeakerFailures, f.SelectSpeakerLine),
			Evidence: "Select speaker attempt failed",
			Fix: `groupchat = GroupChat(agents=[planner, coder, reviewer], messages=[], max_round=12,
                      speaker_selection_method="round_robin")`})
	}
}

// Thresholds of the context-growth rule.
const (
	logGrowthCalls  = 5
	logGrowthFactor = 4
	logGrowthTokens = 8000
)

var ruleLogContextGrowth = &Rule{
	ID:       "RLD7102",
	Title:    "The prompt grows with every model call",
	Cause:    CauseContextGrowth,
	Severity: SeverityWarning,
	Article:  "context-growth",
	Kinds:    []Kind{KindLog},
	Doc: `Follows the prompt size of successive model calls in AutoGen 0.4 logs (the ` + "`prompt_tokens`" + ` of
LLMCall events, or Console's ` + "`[Prompt tokens: N, Completion tokens: M]`" + ` lines with ` + "`output_stats=True`" + `) and
flags a run of five calls or more whose last prompt is four times its first and at least 8,000 tokens.

**Why it matters.** Each call resends the whole conversation, so tokens per call keep rising and the
tokens-per-minute limit is reached with fewer and fewer calls.

**Fix.** Bound the context the model sees (a buffered model context), and keep tool results short.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD7102]`" + `.`,
	Run: checkLogContextGrowth,
}

func checkLogContextGrowth(p *Pass) {
	for _, src := range logSources(p) {
		g := src.Log.Prompt
		if g.Calls < logGrowthCalls || g.First <= 0 || g.Last < logGrowthTokens || g.Last < logGrowthFactor*g.First {
			continue // too few calls, or a prompt that stays small or flat
		}
		p.Report(Diag{Source: src, Line: g.FirstLine, EndLine: g.LastLine,
			Message: fmt.Sprintf("the prompt grew from %s to %s tokens over %d model calls (lines %d-%d): every call resends the whole history",
				fmtInt(int64(g.First)), fmtInt(int64(g.Last)), g.Calls, g.FirstLine, g.LastLine),
			Evidence: fmt.Sprintf("prompt tokens: first %d (line %d), largest %d (line %d), last %d (line %d)",
				g.First, g.FirstLine, g.Max, g.MaxLine, g.Last, g.LastLine),
			Fix: fixShrinkContext(src.Log.Generation)})
	}
}
