package diagnose

import "fmt"

// bigRounds is the max_round from which an LLM-selected group chat is flagged.
const bigRounds = 30

var ruleGroupChatRounds = &Rule{
	ID:       "RLD7001",
	Title:    "Large group chat max_round with model-chosen speakers",
	Cause:    CauseSpeakerSelection,
	Severity: SeverityWarning,
	Article:  "group-chat-calls",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for an AutoGen 0.2 ` + "`GroupChat`" + ` with ` + "`max_round`" + ` of 30 or more and
` + "`speaker_selection_method=\"auto\"`" + ` (the default).

**Why.** With "auto", every round costs a speaker-selection call (up to 3 with its
retries) plus the speaker's own reply: ` + "`max_round=100`" + ` allows ~400 model calls in one chat.

**Not flagged.** ` + "`round_robin`" + `, ` + "`random`" + `, ` + "`manual`" + ` or a custom function, and
` + "`max_round`" + ` under 30 (the default is 10).

**Fix.** A smaller ` + "`max_round`" + ` (shown: 20); where the order is fixed, also
` + "`speaker_selection_method=\"round_robin\"`" + `.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD7001]`" + ` on the line.`,
	Run: checkGroupChatRounds,
}

func checkGroupChatRounds(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, c := range f.ConstructsOf("GroupChat") {
			mr := c.Kw(f, "max_round")
			if mr == nil {
				continue
			}
			n, ok := f.Number(mr.Value, mr.Bind)
			if !ok || n < bigRounds {
				continue
			}
			if sm := c.Kw(f, "speaker_selection_method"); sm != nil {
				if v, ok := f.Str(sm.Value, sm.Bind); !ok || v != "auto" {
					continue
				}
			}
			name := c.Var
			if name == "" {
				name = "GroupChat"
			}
			msg := fmt.Sprintf("%s has max_round=%g with speaker_selection_method \"auto\": each round adds 1-3 selector calls to the reply, up to ~%g model calls in one chat", name, n, 4*(n-1))
			var edits []Edit
			if mr.Splat == nil {
				edits = append(edits, replaceEdit(src, argTarget(f, c, mr), "20"))
			}
			reportPy(p, src, c.Call, msg, edits, Diag{})
		}
	}
}
