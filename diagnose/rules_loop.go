package diagnose

import (
	"fmt"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

// boundedCap is the largest max_consecutive_auto_reply that bounds a chat
// well enough not to be flagged.
const boundedCap = 20

var ruleAutoReplyLoop = &Rule{
	ID:       "RLD1001",
	Title:    "Two agents can auto-reply to each other with no stop condition",
	Cause:    CauseLoop,
	Severity: SeverityError,
	Article:  "agent-loops",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for an AutoGen 0.2/AG2 two-agent chat (` + "`initiate_chat`" + `) in which neither agent stops
the conversation: both reply automatically (` + "`human_input_mode=\"NEVER\"`" + `, or "TERMINATE",
which only asks a human at the end), ` + "`max_consecutive_auto_reply`" + ` is unset (default 100) or
high, there is no custom ` + "`is_termination_msg`" + `, and the chat has no ` + "`max_turns`" + `.

**Why.** The default termination check is an exact match of the whole message with
"TERMINATE"; a model that writes "Done. TERMINATE" never matches, so the pair keeps
calling the model until the 100-reply cap: a burst of calls that hits the
requests-per-minute limit.

**Severity.** An error when both sides reply with ` + "`\"NEVER\"`" + ` and the cap is 50 or more
(a warning when the paste has no chat call, which might pass ` + "`max_turns`" + `);
a warning for a lower cap; a note (info) when one side is in "TERMINATE" mode, which
asks a person when the chat would end and at the cap, so nothing runs on unattended
for long.

**Not flagged.** A side with ` + "`human_input_mode=\"ALWAYS\"`" + ` (the default of
` + "`UserProxyAgent`" + `), a cap of 20 or less, any ` + "`is_termination_msg`" + `, a ` + "`max_turns`" + ` on the
chat, and chats with a ` + "`GroupChatManager`" + ` (bounded by ` + "`max_round`" + `).

**Fix.** Set a small cap and a termination check that finds "TERMINATE" anywhere.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD1001]`" + ` on the agent's line.` + example("user_proxy = UserProxyAgent(\"user_proxy\", human_input_mode=\"NEVER\")\nuser_proxy.initiate_chat(assistant, message=task)", "user_proxy = UserProxyAgent(\n    \"user_proxy\",\n    human_input_mode=\"NEVER\",\n    max_consecutive_auto_reply=10,\n    is_termination_msg=lambda m: \"TERMINATE\" in (m.get(\"content\") or \"\"),\n)\nuser_proxy.initiate_chat(assistant, message=task)"),
	Run: checkAutoReplyLoop,
}

// side is what one agent of a chat contributes to stopping it.
type side struct {
	c       *pyfacts.Construct
	mode    string // ALWAYS, TERMINATE, NEVER or "" (unknown)
	cap     float64
	capSet  bool
	unknown bool // a value we could not resolve: do not judge
	custom  bool // has is_termination_msg
}

func agentSide(f *pyfacts.File, c *pyfacts.Construct) side {
	s := side{c: c, cap: 100}
	switch c.Class {
	case "UserProxyAgent", "RetrieveUserProxyAgent", "QdrantRetrieveUserProxyAgent", "MathUserProxyAgent":
		s.mode = "ALWAYS"
	case "AssistantAgent", "RetrieveAssistantAgent", "GPTAssistantAgent", "TeachableAgent", "CompressibleAgent",
		"MultimodalConversableAgent", "LLaVAAgent", "WebSurferAgent", "CaptainAgent", "ReasoningAgent", "SwarmAgent", "SocietyOfMindAgent":
		s.mode = "NEVER"
	default:
		s.mode = "TERMINATE"
	}
	if a := c.Kw(f, "human_input_mode"); a != nil {
		v, ok := f.Str(a.Value, a.Bind)
		if !ok {
			s.unknown = true
		}
		s.mode = strings.ToUpper(v)
	}
	if a := c.Kw(f, "max_consecutive_auto_reply"); a != nil {
		if f.IsNone(a.Value, a.Bind) {
			s.cap = 100
		} else if v, ok := f.Number(a.Value, a.Bind); ok {
			s.cap, s.capSet = v, true
		} else {
			s.unknown = true
		}
	}
	if a := c.Kw(f, "is_termination_msg"); a != nil && !f.IsNone(a.Value, a.Bind) {
		s.custom = true
	}
	if c.CapUpdate != nil {
		// agent.update_max_consecutive_auto_reply(n) after construction wins.
		if v, ok := f.Number(c.CapUpdate, nil); ok {
			s.cap, s.capSet = v, true
		} else {
			s.unknown = true
		}
	}
	if c.OwnReplies {
		s.unknown = true // a subclass with its own reply or stop logic: do not judge
	}
	return s
}

func (s side) stops() bool {
	return s.unknown || s.mode == "ALWAYS" || s.cap <= boundedCap || s.custom
}

func isConversable(c *pyfacts.Construct) bool {
	if c == nil || c.Gen == "0.4" || pyfacts.IsClient(c.Class) || pyfacts.IsTeam(c.Class) {
		return false
	}
	switch c.Class {
	case "GroupChat", "GroupChatManager", "OpenAIWrapper":
		return false
	}
	return true
}

func checkAutoReplyLoop(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		reported := map[*pyfacts.Construct]bool{}
		chats := 0
		for _, pair := range chatPairs(f) {
			chats++
			if pair.maxTurns != nil && !f.IsNone(pair.maxTurns, nil) {
				continue // the chat has its own turn cap
			}
			ch := pair.ch
			sender := f.ConstructOf(pair.sender, nil)
			recipient := f.ConstructOf(pair.recipient, nil)
			if !isConversable(sender) || !isConversable(recipient) {
				continue // unknown agents, or a group chat manager (max_round bounds it)
			}
			s1, s2 := agentSide(f, sender), agentSide(f, recipient)
			if s1.stops() || s2.stops() {
				continue
			}
			target := s1
			if s1.mode != "NEVER" && s2.mode == "NEVER" && s2.c.Kw(f, "human_input_mode") != nil {
				target = s2
			}
			if reported[target.c] {
				continue
			}
			reported[target.c] = true
			reportLoop(p, src, target, s1, s2, ch)
		}
		if chats > 0 {
			continue
		}
		// A fragment with agents but no chat call: flag an explicit NEVER
		// agent only when every other conversable agent is unbounded too.
		var sides []side
		for _, c := range f.Constructs {
			if isConversable(c) && c.Kw(f, "llm_config") != nil || isConversable(c) && c.Kw(f, "human_input_mode") != nil {
				sides = append(sides, agentSide(f, c))
			}
		}
		if len(sides) != 2 || sides[0].stops() || sides[1].stops() {
			continue
		}
		for _, s := range sides {
			if s.mode == "NEVER" && s.c.Kw(f, "human_input_mode") != nil {
				reportLoop(p, src, s, sides[0], sides[1], nil)
				break
			}
		}
	}
}

func reportLoop(p *Pass, src *Source, target, s1, s2 side, ch *pyfacts.ChatCall) {
	f := src.Python
	c := target.c
	name := c.Var
	if name == "" {
		name = c.Name(f)
	}
	capText := "no max_consecutive_auto_reply (default 100)"
	if target.capSet {
		capText = fmt.Sprintf("max_consecutive_auto_reply=%g", target.cap)
	}
	other := s2
	if target.c == s2.c {
		other = s1
	}
	otherName := other.c.Var
	if otherName == "" {
		otherName = other.c.Name(f)
	}
	msg := fmt.Sprintf("%s (human_input_mode=%q, %s) and %s both auto-reply with no is_termination_msg", name, target.mode, capText, otherName)
	if ch != nil {
		msg += fmt.Sprintf(" and the chat on line %d has no max_turns", ch.Call.Line)
	}
	msg += fmt.Sprintf(": up to ~%g model calls per chat; the default check only stops on a message that is exactly \"TERMINATE\"", minf(s1.cap, s2.cap))
	term := `is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or "")`
	var edits []Edit
	call := c.Call
	if a := c.Kw(f, "max_consecutive_auto_reply"); a != nil && a.Splat == nil {
		edits = append(edits, replaceEdit(src, argTarget(f, c, a), "10"))
		if e, ok := insertKwargs(src, call, term); ok {
			edits = append(edits, e)
		}
	} else if e, ok := insertKwargs(src, call, "max_consecutive_auto_reply=10", term); ok {
		edits = append(edits, e)
	}
	// An error when nobody is ever asked and the cap is high; a warning when
	// the cap is moderate; a note when "TERMINATE" mode asks a human.
	sev := SeverityError
	if minf(s1.cap, s2.cap) < 50 {
		sev = SeverityWarning
	}
	if ch == nil && sev == SeverityError {
		// A fragment without its chat call: the call may pass max_turns.
		sev = SeverityWarning
	}
	if s1.mode == "TERMINATE" || s2.mode == "TERMINATE" {
		// A person is asked when the chat would end and at the cap: worth
		// a note, not an alarm.
		sev = SeverityInfo
	}
	at := c.Call
	if c.Site != nil {
		at = c.Site
	}
	reportPy(p, src, at, msg, edits, Diag{Severity: sev})
}

func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

var ruleTeamNoTermination = &Rule{
	ID:       "RLD1002",
	Title:    "Team has no termination condition and no max_turns",
	Cause:    CauseLoop,
	Severity: SeverityError,
	Article:  "agent-loops",
	Kinds:    []Kind{KindPython, KindConfig},
	Doc: `Looks for an AutoGen 0.4 team (` + "`RoundRobinGroupChat`" + `, ` + "`SelectorGroupChat`" + `, ` + "`Swarm`" + `)
built with neither ` + "`termination_condition`" + ` nor ` + "`max_turns`" + `, in code or in a team
component config.

**Why.** Without either, the team keeps taking turns until something fails — usually
the provider, with a 429. ` + "`SelectorGroupChat`" + ` also spends a model call per turn choosing
the next speaker.

**Not flagged.** ` + "`MagenticOneGroupChat`" + ` (its ` + "`max_turns`" + ` defaults to 20, unless set to
` + "`None`" + `), teams whose
condition is passed in from elsewhere (an imported name, a factory's argument),
arguments we cannot read (` + "`**options`" + ` from a caller, extra positional arguments,
which early 0.4 versions took as the condition), and teams run with a
caller-side cancellation we can see (` + "`ExternalTermination`" + `). A team built in a
helper function is read through the helper's call, so a factory that never sets a
condition is flagged.

**Fix.** Add ` + "`termination_condition=MaxMessageTermination(20) | TextMentionTermination(\"TERMINATE\")`" + `
(and the import), or a ` + "`max_turns`" + `.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD1002]`" + ` on the team's line.` + example("team = RoundRobinGroupChat([writer, critic])\nawait Console(team.run_stream(task=\"Write a poem.\"))", "from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination\n\nteam = RoundRobinGroupChat(\n    [writer, critic],\n    termination_condition=MaxMessageTermination(20) | TextMentionTermination(\"TERMINATE\"),\n)"),
	Run: checkTeamNoTermination,
}

func checkTeamNoTermination(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, c := range f.Constructs {
			term := c.Kw(f, "termination_condition")
			turns := c.Kw(f, "max_turns")
			switch c.Class {
			case "RoundRobinGroupChat", "SelectorGroupChat", "Swarm":
			case "MagenticOneGroupChat":
				// max_turns defaults to 20; only an explicit None lifts it.
				if turns == nil || !f.IsNone(turns.Value, turns.Bind) {
					continue
				}
			default:
				continue
			}
			if turns != nil && !f.IsNone(turns.Value, turns.Bind) {
				continue
			}
			if term != nil && !f.IsNone(term.Value, term.Bind) {
				continue // a condition (we do not judge conditions passed in from elsewhere)
			}
			if opaqueTeamArgs(f, c) {
				continue
			}
			name := c.Var
			if name == "" {
				name = c.Class
			}
			msg := fmt.Sprintf("%s = %s(...) has no termination_condition and no max_turns: it takes turns until a call fails", name, c.Class)
			if c.Class == "SelectorGroupChat" {
				msg += ", with an extra selector model call every turn"
			}
			var edits []Edit
			if term != nil && term.Splat == nil {
				edits = append(edits, replaceEdit(src, term.Value, `MaxMessageTermination(20) | TextMentionTermination("TERMINATE")`))
			} else if e, ok := insertKwargs(src, c.Call, `termination_condition=MaxMessageTermination(20) | TextMentionTermination("TERMINATE")`); ok {
				edits = append(edits, e)
			}
			if len(edits) > 0 {
				if e, ok := importConditions(src); ok {
					edits = append(edits, e)
				}
			}
			reportPy(p, src, c.Call, msg, edits, Diag{})
		}
	}
	for _, src := range configSources(p) {
		cf := src.Config
		for _, comp := range cf.Components {
			switch comp.Class() {
			case "RoundRobinGroupChat", "SelectorGroupChat", "Swarm":
			default:
				continue
			}
			if comp.Config == nil {
				continue
			}
			tk, term := scalarOrAny(comp.Config, "termination_condition")
			_, turns := scalarOrAny(comp.Config, "max_turns")
			if turns != nil && turns.Value != "null" && turns.Value != "" || term != nil && term.Value != "null" {
				continue
			}
			_ = tk
			d := Diag{Source: src, Line: comp.Node.Line, EndLine: comp.Node.Line,
				Message:  fmt.Sprintf("team component %s has no termination_condition and no max_turns in its config", comp.Provider),
				Evidence: cf.LineText(comp.Node.Line),
				Fix:      `add "max_turns": 20 to its "config" (or a termination_condition component)`}
			if turns == nil {
				if e, ok := configInsert(cf, src.Name, comp.Config, "max_turns", "20"); ok {
					d.Edits = []Edit{e}
					d.Fix = configFixText(cf, d.Edits)
				}
			}
			p.Report(d)
		}
	}
}

// opaqueTeamArgs reports whether a team's call could carry a termination
// condition or turn cap we cannot see: a **splat that does not resolve to a
// dict literal, a *splat, or more positional arguments than the participants
// (and, for SelectorGroupChat, its model client). A team built in a helper
// still counts: its arguments are read through the helper's binding.
func opaqueTeamArgs(f *pyfacts.File, c *pyfacts.Construct) bool {
	positional := 1
	if c.Class == "SelectorGroupChat" {
		positional = 2
	}
	for _, call := range []*pyfacts.Node{c.Call, c.Forward} {
		if call == nil {
			continue
		}
		args := call.Child("arguments")
		if args == nil {
			return true
		}
		for _, a := range args.NamedChildren() {
			switch a.Kind {
			case "list_splat":
				return true
			case "dictionary_splat":
				cs := a.NamedChildren()
				if len(cs) != 1 || !f.IsDict(cs[0], c.Bind) {
					return true
				}
			}
		}
		if f.Positional(call, positional) != nil {
			return true
		}
	}
	return false
}

func importConditions(src *Source) (Edit, bool) {
	f := src.Python
	_, a := f.Imports["MaxMessageTermination"]
	_, b := f.Imports["TextMentionTermination"]
	if a && b {
		return Edit{}, false
	}
	return addImport(src, "MaxMessageTermination", "from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination")
}

// argTarget is the node to edit to change a construct's argument: the value
// as written, or, when it is a helper's parameter, the argument at the call site.
func argTarget(f *pyfacts.File, c *pyfacts.Construct, a *pyfacts.Arg) *pyfacts.Node {
	if a.Value.Kind == "identifier" && c.Bind != nil {
		if v, ok := c.Bind[f.Text(a.Value)]; ok && v != nil {
			return v
		}
	}
	return a.Value
}

// chatPair is one two-agent chat: from initiate_chat, or one entry of an
// initiate_chats queue ({"sender": ..., "recipient": ..., "max_turns": ...}).
type chatPair struct {
	ch                          *pyfacts.ChatCall
	sender, recipient, maxTurns *pyfacts.Node
}

func chatPairs(f *pyfacts.File) []chatPair {
	var out []chatPair
	for _, ch := range f.Chats {
		switch ch.Method {
		case "initiate_chat", "a_initiate_chat":
			p := chatPair{ch: ch, sender: ch.Receiver, recipient: f.Positional(ch.Call, 0)}
			if p.recipient == nil {
				if kw := f.Kwarg(ch.Call, "recipient", nil); kw != nil {
					p.recipient = kw.Value
				}
			}
			if kw := f.Kwarg(ch.Call, "max_turns", nil); kw != nil {
				p.maxTurns = kw.Value
			}
			out = append(out, p)
		case "run", "a_run":
			// AG2's agent.run(recipient, message=..., max_turns=...): the
			// same two-agent chat as initiate_chat. 0.4 agents' and teams'
			// run(task=...) are not conversable and drop out here.
			if !isConversable(f.ConstructOf(ch.Receiver, nil)) {
				continue
			}
			p := chatPair{ch: ch, sender: ch.Receiver, recipient: f.Positional(ch.Call, 0)}
			if kw := f.Kwarg(ch.Call, "recipient", nil); kw != nil {
				p.recipient = kw.Value
			}
			if kw := f.Kwarg(ch.Call, "max_turns", nil); kw != nil {
				p.maxTurns = kw.Value
			}
			out = append(out, p)
		case "initiate_chats", "a_initiate_chats":
			queue := f.Positional(ch.Call, 0)
			if queue == nil {
				if kw := f.Kwarg(ch.Call, "chat_queue", nil); kw != nil {
					queue = kw.Value
				}
			}
			for _, item := range f.ListItems(queue, nil) {
				p := chatPair{ch: ch, sender: ch.Receiver}
				if a := f.DictGet(item, "sender", nil, 0); a != nil {
					p.sender = a.Value
				}
				if a := f.DictGet(item, "recipient", nil, 0); a != nil {
					p.recipient = a.Value
				}
				if a := f.DictGet(item, "max_turns", nil, 0); a != nil {
					p.maxTurns = a.Value
				}
				if p.sender != nil && p.recipient != nil {
					out = append(out, p)
				}
			}
		}
	}
	return out
}
