package diagnose

import (
	"fmt"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

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
` + "`max_round`" + ` under 30 (the default is 10). Only a note when the manager or an agent has its
own ` + "`is_termination_msg`" + ` (the chat usually ends before the cap).

**Fix.** A smaller ` + "`max_round`" + ` (shown: 20); where the order is fixed, also
` + "`speaker_selection_method=\"round_robin\"`" + `.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD7001]`" + ` on the line.` + example("groupchat = GroupChat(agents=[user, planner, coder, critic], messages=[], max_round=100)", "groupchat = GroupChat(agents=[user, planner, coder, critic], messages=[], max_round=20,\n                      speaker_selection_method=\"round_robin\")"),
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
			d := Diag{}
			if groupChatStopsOnText(f, c) {
				// A termination check usually ends the chat well before
				// the cap: the selector cost is a note.
				d.Severity = SeverityInfo
				msg += " (a termination check usually ends it sooner)"
			}
			reportPy(p, src, c.Call, msg, edits, d)
		}
	}
}

// longRounds is the max_round from which any group chat counts as a long run.
const longRounds = 50

var ruleGroupChatLongRun = &Rule{
	ID:       "RLD1003",
	Title:    "Group chat max_round allows a very long run",
	Cause:    CauseLoop,
	Severity: SeverityWarning,
	Article:  "agent-loops",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for an AutoGen 0.2 ` + "`GroupChat`" + ` with ` + "`max_round`" + ` of 50 or more.

**Why.** ` + "`max_round`" + ` is the group chat's only hard stop; the manager's default
termination check needs a message that is exactly "TERMINATE". Agents that keep
handing the floor to each other run to the cap, each round at least one model call.

**Not flagged.** ` + "`max_round`" + ` under 50 (the default is 10), and group chats whose
manager or one of whose agents has its own ` + "`is_termination_msg`" + ` (the cap is then a backstop).

**Fix.** A cap near the number of rounds the task needs (shown: 20), plus an
` + "`is_termination_msg`" + ` on the manager that finds "TERMINATE" anywhere.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD1003]`" + ` on the line.`,
	Run: checkGroupChatLongRun,
}

func checkGroupChatLongRun(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, c := range f.ConstructsOf("GroupChat") {
			mr := c.Kw(f, "max_round")
			if mr == nil {
				continue
			}
			n, ok := f.Number(mr.Value, mr.Bind)
			if !ok || n < longRounds {
				continue
			}
			if groupChatStopsOnText(f, c) {
				continue // a custom check ends the chat before the cap
			}
			name := c.Var
			if name == "" {
				name = "GroupChat"
			}
			sev := SeverityWarning
			if n >= 100 {
				sev = SeverityError
			}
			msg := fmt.Sprintf("%s allows max_round=%g rounds: with the default exact-\"TERMINATE\" check the agents can keep passing the floor until round %g, a model call each", name, n, n)
			var edits []Edit
			if mr.Splat == nil {
				edits = append(edits, replaceEdit(src, argTarget(f, c, mr), "20"))
			}
			reportPy(p, src, c.Call, msg, edits, Diag{Severity: sev})
		}
	}
}

// manyCandidates is the number of participants from which model-based
// speaker selection is flagged on its own.
// groupChatStopsOnText reports whether the group chat's manager, or one of
// its agents, has its own is_termination_msg: the manager stops on it, and an
// agent that sees its termination message gives no reply, which ends the
// chat. Then max_round is a backstop, not the expected length.
func groupChatStopsOnText(f *pyfacts.File, gc *pyfacts.Construct) bool {
	custom := func(c *pyfacts.Construct) bool {
		if c == nil {
			return false
		}
		a := c.Kw(f, "is_termination_msg")
		return a != nil && !f.IsNone(a.Value, a.Bind)
	}
	for _, m := range f.ConstructsOf("GroupChatManager") {
		g := m.Kw(f, "groupchat")
		if g == nil {
			if p := f.Positional(m.Call, 0); p != nil {
				g = &pyfacts.Arg{Value: p, Bind: m.Bind}
			}
		}
		if g != nil && f.ConstructOf(g.Value, g.Bind) == gc && custom(m) {
			return true
		}
	}
	agents := gc.Kw(f, "agents")
	var list *pyfacts.Node
	if agents != nil {
		list = agents.Value
	} else {
		list = f.Positional(gc.Call, 0)
	}
	for _, it := range f.ListItems(list, gc.Bind) {
		if custom(f.ConstructOf(it, gc.Bind)) {
			return true
		}
	}
	return false
}

const manyCandidates = 5

var ruleSelectorCost = &Rule{
	ID:       "RLD7002",
	Title:    "SelectorGroupChat asks the model to pick every speaker",
	Cause:    CauseSpeakerSelection,
	Severity: SeverityWarning,
	Article:  "group-chat-calls",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for an AutoGen 0.4 ` + "`SelectorGroupChat`" + ` without a ` + "`selector_func`" + ` that has 5 or more
participants, a long cap (` + "`max_turns`" + ` or ` + "`MaxMessageTermination`" + ` of 40 or more), or no cap.

**Why.** Before every turn the team sends the whole conversation and the list of
roles to the model to choose the next speaker (up to ` + "`max_selector_attempts`" + `=3 tries):
about one extra call per turn, with a prompt that grows with the history, and not
counted by ` + "`TokenUsageTermination`" + ` or Console's totals.

**Not flagged.** A ` + "`selector_func`" + ` (it decides without the model when it returns a
name), small teams with a short cap. A team of 5 or more with a cap under 40 messages
is only a note: its selector calls are bounded by the cap.

**Fix.** A ` + "`selector_func`" + ` for the predictable hand-offs, a ` + "`RoundRobinGroupChat`" + ` when the
order is fixed, or a smaller cap.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD7002]`" + ` on the line.`,
	Run: checkSelectorCost,
}

// participantCount counts the agents of a team's participant list: a list
// literal, or a comprehension over a list literal.
func participantCount(f *pyfacts.File, n *pyfacts.Node, bind map[string]*pyfacts.Node) int {
	if items := f.ListItems(n, bind); len(items) > 0 {
		return len(items)
	}
	r := f.Resolve(n, bind)
	if r == nil || r.Kind != "list_comprehension" {
		return 0
	}
	for _, c := range r.Children {
		if c.Kind == "for_in_clause" {
			return len(f.ListItems(c.Child("right"), bind))
		}
	}
	return 0
}

// messageCap is the n of a MaxMessageTermination(n) anywhere in a condition
// expression, 0 when there is none.
func messageCap(f *pyfacts.File, n *pyfacts.Node, bind map[string]*pyfacts.Node, depth int) float64 {
	r := f.Resolve(n, bind)
	if r == nil || depth > 6 {
		return 0
	}
	switch r.Kind {
	case "call":
		if f.CalleeName(r) == "MaxMessageTermination" {
			a := f.Positional(r, 0)
			if a == nil {
				if kw := f.Kwarg(r, "max_messages", nil); kw != nil {
					a = kw.Value
				}
			}
			v, _ := f.Number(a, bind)
			return v
		}
	case "binary_operator", "parenthesized_expression":
		var best float64
		for _, c := range r.NamedChildren() {
			if v := messageCap(f, c, bind, depth+1); v > best {
				best = v
			}
		}
		return best
	}
	return 0
}

func checkSelectorCost(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, c := range f.ConstructsOf("SelectorGroupChat") {
			if sf := c.Kw(f, "selector_func"); sf != nil && !f.IsNone(sf.Value, sf.Bind) {
				continue
			}
			parts := f.Positional(c.Call, 0)
			if parts == nil {
				if kw := c.Kw(f, "participants"); kw != nil {
					parts = kw.Value
				}
			}
			n := participantCount(f, parts, c.Bind)
			capN := 0.0
			if mt := c.Kw(f, "max_turns"); mt != nil {
				capN, _ = f.Number(mt.Value, mt.Bind)
			}
			if tc := c.Kw(f, "termination_condition"); tc != nil {
				if v := messageCap(f, tc.Value, tc.Bind, 0); v > 0 && (capN == 0 || v < capN) {
					capN = v
				}
			}
			noCap := c.Kw(f, "termination_condition") == nil && c.Kw(f, "max_turns") == nil && !opaqueTeamArgs(f, c)
			if n < manyCandidates && capN < 40 && !noCap {
				continue
			}
			name := c.Var
			if name == "" {
				name = "SelectorGroupChat"
			}
			var why []string
			if n >= manyCandidates {
				why = append(why, fmt.Sprintf("%d participants", n))
			}
			if capN >= 40 {
				why = append(why, fmt.Sprintf("a cap of %g messages", capN))
			}
			if noCap {
				why = append(why, "no cap")
			}
			msg := fmt.Sprintf("%s (%s) has no selector_func: before every turn the model is asked to pick the speaker (up to 3 tries), about doubling the calls, with a prompt that grows with the history", name, strings.Join(why, ", "))
			d := Diag{Fix: "def select_next(messages):\n    # return an agent name for the predictable hand-offs, None to let the model choose\n    return None\n\n" + name + " = SelectorGroupChat(..., selector_func=select_next)"}
			if !noCap && capN > 0 && capN < 40 {
				// Many participants but a short cap: the selector calls are
				// bounded too; the cost is worth a note, not a warning.
				d.Severity = SeverityInfo
			}
			reportPy(p, src, c.Call, msg, nil, d)
		}
	}
}
