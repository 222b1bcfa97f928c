package diagnose

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/budget"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

// This file turns Python facts into the plain values of the budget package:
// one budget.Chat per conversation the code starts and the retry layers that
// wrap its calls. The budget package does the arithmetic; this file only
// reads settings (with AutoGen's defaults where nothing is set).

// PlannedChat is one chat or team found in code, as the call-budget
// simulator sees it, with where it starts.
type PlannedChat struct {
	Chat budget.Chat
	File string
	Line int
}

// Setup is what a piece of agent code says about its model calls: the chats
// it runs, the retry layers around them and how many runs share one key.
type Setup struct {
	Chats []PlannedChat
	// Layers are the retry layers of the most amplified chat (the client's
	// own retries first, outermost last).
	Layers []budget.Layer
	// Unbounded names retry layers with no attempt limit (they retry until
	// the call succeeds), e.g. "tenacity @retry on line 12 (no stop=)".
	Unbounded []string
	// SharedBy is how many chats run at once on one key (1 when sequential).
	SharedBy int
	// Model is the first model name the code sets, "" when none.
	Model string
}

// maxPlannedChats bounds the chats reported for one input.
const maxPlannedChats = 12

// ReadSetup parses Python agent code and returns its setup. It is what the
// budget page calls on pasted code; the engine uses setupOf on facts it
// already has.
func ReadSetup(ctx context.Context, name string, code []byte) (s *Setup, err error) {
	if len(code) > maxInMemory {
		return nil, fmt.Errorf("code is larger than %d MB", maxInMemory>>20)
	}
	f, err := pyfacts.Parse(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("parse python: %w", err)
	}
	src := &Source{Name: name, Kind: KindPython, Python: f}
	setup, ok := safeSetup(src)
	if !ok {
		return nil, fmt.Errorf("the agent setup in %s could not be read", name)
	}
	return &setup, nil
}

// setupOf reads the setup of one parsed Python file.
func setupOf(f *pyfacts.File, file string) Setup {
	s := Setup{Chats: plannedChats(f, file), SharedBy: sharers(f), Model: firstModel(f)}
	s.Layers, s.Unbounded = retryLayers(f, file)
	return s
}

// usesModel reports whether the file makes model calls at all: a chat, a
// model client or an agent with an llm_config.
func usesModel(f *pyfacts.File) bool {
	if len(f.Chats) > 0 {
		return true
	}
	for _, c := range f.Constructs {
		if pyfacts.IsClient(c.Class) || c.Kw(f, "llm_config") != nil || c.Kw(f, "model_client") != nil {
			return true
		}
	}
	return false
}

// plannedChats finds every conversation the code starts, once per pair of
// agents or team (a chat called in a loop is still one shape of run).
func plannedChats(f *pyfacts.File, file string) []PlannedChat {
	var out []PlannedChat
	seen := map[string]bool{}
	for _, ch := range f.Chats {
		if len(out) >= maxPlannedChats {
			break
		}
		var c budget.Chat
		var ok bool
		var key string
		switch ch.Method {
		case "initiate_chat", "a_initiate_chat":
			c, key, ok = chatOf02(f, ch, chatArgsOf(f, ch))
		case "initiate_chats", "a_initiate_chats":
			// A queue runs its chats one after another: each is counted.
			for _, args := range queueArgs(f, ch) {
				if c, key, ok := chatOf02(f, ch, args); ok && !seen[key] && len(out) < maxPlannedChats {
					seen[key] = true
					out = append(out, PlannedChat{Chat: c, File: file, Line: args.line})
				}
			}
			continue
		case "run", "run_stream", "on_messages", "on_messages_stream":
			c, key, ok = teamOf04(f, ch)
		}
		if !ok || seen[key] {
			continue // not a chat we can count (unknown agents, a client's create) or already counted
		}
		seen[key] = true
		out = append(out, PlannedChat{Chat: c, File: file, Line: ch.Call.Line})
	}
	return out
}

// chatArgs are the arguments of one 0.2 chat: initiate_chat's own, or one
// entry of an initiate_chats queue ({"sender": a, "recipient": b, ...}).
type chatArgs struct {
	sender, recipient, maxTurns, summary *pyfacts.Node
	line                                 int
}

func chatArgsOf(f *pyfacts.File, ch *pyfacts.ChatCall) chatArgs {
	a := chatArgs{sender: ch.Receiver, recipient: f.Positional(ch.Call, 0), line: ch.Call.Line}
	if a.recipient == nil {
		if kw := f.Kwarg(ch.Call, "recipient", nil); kw != nil {
			a.recipient = kw.Value
		}
	}
	if kw := f.Kwarg(ch.Call, "max_turns", nil); kw != nil {
		a.maxTurns = kw.Value
	}
	if kw := f.Kwarg(ch.Call, "summary_method", nil); kw != nil {
		a.summary = kw.Value
	}
	return a
}

func queueArgs(f *pyfacts.File, ch *pyfacts.ChatCall) []chatArgs {
	queue := f.Positional(ch.Call, 0)
	if queue == nil {
		if kw := f.Kwarg(ch.Call, "chat_queue", nil); kw != nil {
			queue = kw.Value
		}
	}
	var out []chatArgs
	for _, item := range f.ListItems(queue, nil) {
		a := chatArgs{sender: ch.Receiver, line: item.Line}
		for key, dst := range map[string]**pyfacts.Node{"sender": &a.sender, "recipient": &a.recipient, "max_turns": &a.maxTurns, "summary_method": &a.summary} {
			if kv := f.DictGet(item, key, nil, 0); kv != nil {
				*dst = kv.Value
			}
		}
		out = append(out, a)
	}
	return out
}

// varName is how a construct is called in the person's code.
func varName(f *pyfacts.File, c *pyfacts.Construct) string {
	if c.Var != "" {
		return c.Var
	}
	return c.Name(f)
}

// chatOf02 reads a 0.2/AG2 initiate_chat: two agents, or an agent and a
// GroupChatManager.
func chatOf02(f *pyfacts.File, ch *pyfacts.ChatCall, args chatArgs) (budget.Chat, string, bool) {
	if args.sender == nil || args.recipient == nil {
		return budget.Chat{}, "", false
	}
	sender := f.ConstructOf(args.sender, nil)
	recipient := f.ConstructOf(args.recipient, nil)
	if recipient != nil && recipient.Class == "GroupChatManager" {
		return groupChatOf02(f, ch, recipient)
	}
	if !isConversable(sender) || !isConversable(recipient) {
		return budget.Chat{}, "", false
	}
	s1, s2 := agentSide(f, sender), agentSide(f, recipient)
	c := budget.Chat{
		Pattern:      budget.TwoAgent,
		Name:         varName(f, sender) + " → " + varName(f, recipient),
		SenderCap:    capValue(s1),
		RecipientCap: capValue(s2),
		SenderLLM:    hasLLM(f, sender),
		SenderHuman:  s1.mode == "ALWAYS",
		HasTextStop:  s1.custom || s2.custom,
	}
	if v, ok := f.Number(args.maxTurns, nil); ok && v >= 1 {
		c.MaxTurns = int(v)
	}
	if v, ok := f.Str(args.summary, nil); ok && v == "reflection_with_llm" {
		c.Reflection = true
	}
	if len(f.Tools) > 0 {
		// A registered tool means the assistant's replies can be tool calls,
		// each costing one more call after the executor answers (ref §1.4).
		c.ToolRoundTrips = 1
	}
	return c, "2:" + c.Name, true
}

// capValue turns an agent's max_consecutive_auto_reply into budget's
// convention: 0 means the default, NoReply an explicit 0.
func capValue(s side) int {
	if !s.capSet {
		return 0
	}
	if s.cap <= 0 {
		return budget.NoReply
	}
	return int(s.cap)
}

// hasLLM reports whether a 0.2 agent was given an llm_config that is not
// False or None (AssistantAgent and ConversableAgent have none by default,
// reference §1.1).
func hasLLM(f *pyfacts.File, c *pyfacts.Construct) bool {
	a := c.Kw(f, "llm_config")
	if a == nil || f.IsNone(a.Value, a.Bind) {
		return false
	}
	if v, ok := f.Bool(a.Value, a.Bind); ok && !v {
		return false
	}
	return true
}

// groupChatOf02 reads the GroupChat behind a manager.
func groupChatOf02(f *pyfacts.File, ch *pyfacts.ChatCall, mgr *pyfacts.Construct) (budget.Chat, string, bool) {
	c := budget.Chat{Pattern: budget.GroupChat0, Name: varName(f, mgr) + " (GroupChat)"}
	var gc *pyfacts.Construct
	if a := mgr.Kw(f, "groupchat"); a != nil {
		gc = f.ConstructOf(a.Value, a.Bind)
	} else if p := f.Positional(mgr.Call, 0); p != nil {
		gc = f.ConstructOf(p, mgr.Bind)
	}
	if a := mgr.Kw(f, "is_termination_msg"); a != nil && !f.IsNone(a.Value, a.Bind) {
		c.HasTextStop = true
	}
	if gc != nil && gc.Class == "GroupChat" {
		c.Name = varName(f, gc) + " (GroupChat)"
		if a := gc.Kw(f, "max_round"); a != nil {
			if v, ok := f.Number(a.Value, a.Bind); ok && v >= 1 {
				c.MaxRound = int(v)
			}
		}
		if a := gc.Kw(f, "speaker_selection_method"); a != nil {
			if v, ok := f.Str(a.Value, a.Bind); ok {
				c.SpeakerSelection = strings.ToLower(v)
			} else if !f.IsNone(a.Value, a.Bind) {
				c.SpeakerSelection = "custom" // a function picks the speaker
			}
		}
		if a := gc.Kw(f, "max_retries_for_selecting_speaker"); a != nil {
			if v, ok := f.Number(a.Value, a.Bind); ok {
				c.SelectRetries = int(v)
				if v <= 0 {
					c.SelectRetries = budget.NoReply
				}
			}
		}
		agents := gc.Kw(f, "agents")
		var items []*pyfacts.Node
		if agents != nil {
			items = f.ListItems(agents.Value, agents.Bind)
		} else if p := f.Positional(gc.Call, 0); p != nil {
			items = f.ListItems(p, gc.Bind)
		}
		for _, it := range items {
			if ag := f.ConstructOf(it, nil); ag != nil {
				if a := ag.Kw(f, "is_termination_msg"); a != nil && !f.IsNone(a.Value, a.Bind) {
					c.HasTextStop = true
				}
			}
		}
	}
	if len(f.Tools) > 0 {
		c.ToolRoundTrips = 1
	}
	return c, "g:" + c.Name, true
}

// teamOf04 reads a 0.4 team (or a single agent) that run/run_stream is called on.
func teamOf04(f *pyfacts.File, ch *pyfacts.ChatCall) (budget.Chat, string, bool) {
	t := f.ConstructOf(ch.Receiver, nil)
	if t == nil {
		return budget.Chat{}, "", false
	}
	c := budget.Chat{Name: varName(f, t) + " (" + t.Class + ")"}
	switch t.Class {
	case "RoundRobinGroupChat", "Swarm":
		c.Pattern = budget.RoundRobin
	case "SelectorGroupChat":
		c.Pattern = budget.Selector
	case "MagenticOneGroupChat":
		c.Pattern = budget.MagenticOne
	case "AssistantAgent", "CodeExecutorAgent", "SocietyOfMindAgent":
		if t.Gen == "0.2" {
			return budget.Chat{}, "", false
		}
		c.Pattern = budget.SingleAgent
		readAgent04(f, t, &c)
		return c, "a:" + c.Name, true
	default:
		return budget.Chat{}, "", false
	}
	if a := t.Kw(f, "max_turns"); a != nil {
		if v, ok := f.Number(a.Value, a.Bind); ok && v >= 1 {
			c.MaxTurns = int(v)
		}
	}
	if a := t.Kw(f, "termination_condition"); a != nil && !f.IsNone(a.Value, a.Bind) {
		readTermination(f, a.Value, a.Bind, &c, 0)
	}
	if c.Pattern == budget.Selector {
		for _, k := range []string{"selector_func", "candidate_func"} {
			if a := t.Kw(f, k); a != nil && !f.IsNone(a.Value, a.Bind) {
				c.SelectorFunc = true
			}
		}
		if a := t.Kw(f, "max_selector_attempts"); a != nil {
			if v, ok := f.Number(a.Value, a.Bind); ok && v >= 1 {
				c.MaxSelectorTries = int(v)
			}
		}
	}
	var items []*pyfacts.Node
	if a := t.Kw(f, "participants"); a != nil {
		items = f.ListItems(a.Value, a.Bind)
	} else if p := f.Positional(t.Call, 0); p != nil {
		items = f.ListItems(p, t.Bind)
	}
	for _, it := range items {
		if ag := f.ConstructOf(it, t.Bind); ag != nil {
			readAgent04(f, ag, &c)
		}
	}
	return c, "t:" + c.Name, true
}

// readAgent04 folds one 0.4 AssistantAgent's tool settings into the chat:
// the largest max_tool_iterations of any participant bounds a turn.
func readAgent04(f *pyfacts.File, ag *pyfacts.Construct, c *budget.Chat) {
	if a := ag.Kw(f, "max_tool_iterations"); a != nil {
		if v, ok := f.Number(a.Value, a.Bind); ok && int(v) > c.MaxToolIterations {
			c.MaxToolIterations = int(v)
		}
	}
	if a := ag.Kw(f, "reflect_on_tool_use"); a != nil {
		if v, ok := f.Bool(a.Value, a.Bind); ok && v {
			c.ReflectOnToolUse = true
		}
	}
	if a := ag.Kw(f, "tools"); a != nil && !f.IsNone(a.Value, a.Bind) {
		c.ToolRoundTrips = 1
	}
}

// readTermination walks a termination condition expression (`a | b`, names
// assigned elsewhere) for MaxMessageTermination(n) and conditions that can
// end a run early.
func readTermination(f *pyfacts.File, n *pyfacts.Node, bind map[string]*pyfacts.Node, c *budget.Chat, depth int) {
	if n == nil || depth > 8 {
		return
	}
	n = f.Resolve(n, bind)
	switch n.Kind {
	case "binary_operator", "parenthesized_expression":
		for _, ch := range n.NamedChildren() {
			readTermination(f, ch, bind, c, depth+1)
		}
	case "call":
		switch f.CalleeName(n) {
		case "MaxMessageTermination":
			arg := f.Positional(n, 0)
			if arg == nil {
				if kw := f.Kwarg(n, "max_messages", bind); kw != nil {
					arg = kw.Value
				}
			}
			if v, ok := f.Number(arg, bind); ok && v >= 1 && (c.MaxMessages == 0 || int(v) < c.MaxMessages) {
				c.MaxMessages = int(v)
			}
		case "TextMentionTermination", "StopMessageTermination", "HandoffTermination", "SourceMatchTermination",
			"TextMessageTermination", "FunctionCallTermination", "FunctionalTermination", "TokenUsageTermination", "TimeoutTermination":
			c.HasTextStop = true
		}
	}
}

// retryLayers finds the retry layers around the file's model calls: the
// client's max_retries (default 2), AutoGen 0.2's failover over config_list
// entries, and the application retry around the most amplified chat.
// Layers without an attempt limit are returned by name in unbounded.
func retryLayers(f *pyfacts.File, file string) (layers []budget.Layer, unbounded []string) {
	if !usesModel(f) {
		return nil, nil
	}
	n, at, set := clientRetries(f)
	if set {
		where := ""
		if at != nil {
			where = fmt.Sprintf("%s:%d", file, at.Line)
		}
		layers = append(layers, budget.SDKLayer(int(n), where))
	} else {
		layers = append(layers, budget.SDKLayer(-1, ""))
	}
	if f.Generation != "0.4" {
		if entries, line := configListEntries(f); entries > 1 {
			layers = append(layers, budget.Layer{Kind: budget.LayerFailover, Attempts: entries, Where: fmt.Sprintf("%s:%d", file, line)})
		}
	}
	// Each chat has at most one application retry around it; the chat
	// whose retry multiplies most is the worst case.
	var best *budget.Layer
	var bestOpen string
	seen := map[*pyfacts.Node]bool{}
	for _, ch := range f.Chats {
		r := ch.Retry
		if r == nil || seen[r.Node] || !isRetryLoop(f, r, ch.Call) {
			continue
		}
		seen[r.Node] = true
		l, open := appLayer(f, r, file)
		if open != "" {
			if bestOpen == "" {
				bestOpen = open
			}
			continue
		}
		if best == nil || l.Attempts > best.Attempts {
			lc := l
			best = &lc
		}
	}
	if best != nil {
		layers = append(layers, *best)
	}
	if bestOpen != "" {
		unbounded = append(unbounded, bestOpen)
	}
	return layers, unbounded
}

// configListEntries counts the entries of the first config_list an agent's
// llm_config holds (AutoGen tries each once before raising, reference §1.6).
func configListEntries(f *pyfacts.File) (int, int) {
	best, line := 0, 0
	for _, c := range f.Constructs {
		a := c.Kw(f, "llm_config")
		if a == nil {
			continue
		}
		cl := f.DictGet(a.Value, "config_list", a.Bind, 0)
		if cl == nil {
			continue
		}
		items := f.ListItems(cl.Value, cl.Bind)
		if len(items) > best {
			best, line = len(items), f.Resolve(cl.Value, cl.Bind).Line
		}
	}
	return best, line
}

// appLayer turns an application retry into a layer with its attempt count.
// open is non-empty when the retry has no limit.
func appLayer(f *pyfacts.File, r *pyfacts.Retry, file string) (budget.Layer, string) {
	l := budget.Layer{Backoff: r.Backoff == "exponential", Where: fmt.Sprintf("%s:%d", file, r.Node.Line)}
	switch r.Kind {
	case "tenacity":
		l.Kind = budget.LayerTenacity
		if n, ok := callArgNumber(f, r.Node, "stop_after_attempt", ""); ok {
			l.Attempts = n
			return l, ""
		}
		if strings.Contains(f.Text(r.Node), "stop=") {
			l.Attempts = 1 // a stop we cannot count (stop_after_delay): counted once
			return l, fmt.Sprintf("tenacity @retry on line %d stops after a time, not a count", r.Node.Line)
		}
		return l, fmt.Sprintf("tenacity @retry on line %d has no stop= (tenacity retries forever by default)", r.Node.Line)
	case "backoff":
		l.Kind = budget.LayerBackoff
		if n, ok := callArgNumber(f, r.Node, "on_exception", "max_tries"); ok {
			l.Attempts = n
			return l, ""
		}
		return l, fmt.Sprintf("backoff decorator on line %d has no max_tries", r.Node.Line)
	case "loop":
		l.Kind = budget.LayerApp
		if n, ok := loopCount(f, r.Node); ok {
			l.Attempts = n
			return l, ""
		}
		return l, fmt.Sprintf("retry loop on line %d has no fixed number of attempts", r.Node.Line)
	}
	l.Kind = budget.LayerApp
	return l, fmt.Sprintf("retry decorator on line %d: attempts unknown", r.Node.Line)
}

// callArgNumber finds a call named callee under n and returns its first
// positional argument (kw == "") or its keyword argument kw, as an int.
func callArgNumber(f *pyfacts.File, n *pyfacts.Node, callee, kw string) (int, bool) {
	var found *pyfacts.Node
	var walk func(x *pyfacts.Node)
	walk = func(x *pyfacts.Node) {
		if x == nil || found != nil {
			return
		}
		if x.Kind == "call" && f.CalleeName(x) == callee {
			found = x
			return
		}
		for _, c := range x.Children {
			walk(c)
		}
	}
	walk(n)
	if found == nil {
		return 0, false
	}
	var v *pyfacts.Node
	if kw == "" {
		v = f.Positional(found, 0)
	} else if a := f.Kwarg(found, kw, nil); a != nil {
		v = a.Value
	}
	x, ok := f.Number(v, nil)
	if !ok || x < 1 || x > 1e6 {
		return 0, false
	}
	return int(x), true
}

// loopCount reads how many times a retry loop runs: `for _ in range(n)`,
// `range(a, b)`, or `while attempt < n` (with attempt starting at 0 or 1),
// `while retries > 0` (retries assigned a number before the loop).
func loopCount(f *pyfacts.File, loop *pyfacts.Node) (int, bool) {
	num := func(n *pyfacts.Node) (int, bool) {
		v, ok := f.Number(n, nil)
		if !ok || v < 0 || v > 1e6 || v != math.Trunc(v) {
			return 0, false
		}
		return int(v), true
	}
	switch loop.Kind {
	case "for_statement":
		right := loop.Child("right")
		if right == nil || right.Kind != "call" || f.CalleeName(right) != "range" {
			return 0, false
		}
		a, b := f.Positional(right, 0), f.Positional(right, 1)
		if b == nil {
			n, ok := num(a)
			return n, ok && n >= 1
		}
		lo, ok1 := num(a)
		hi, ok2 := num(b)
		if !ok1 || !ok2 || hi <= lo {
			return 0, false
		}
		return hi - lo, true
	case "while_statement":
		cond := loop.Child("condition")
		if cond == nil || cond.Kind != "comparison_operator" {
			return 0, false
		}
		parts := cond.NamedChildren()
		if len(parts) != 2 {
			return 0, false
		}
		lo, hi := parts[0].End-cond.Start, parts[1].Start-cond.Start
		text := f.Text(cond)
		if lo < 0 || hi > len(text) || lo > hi {
			return 0, false // a tree recovered from a syntax error
		}
		op := strings.TrimSpace(text[lo:hi])
		left, right := parts[0], parts[1]
		switch op {
		case "<", "<=":
			hi, ok := num(right)
			if !ok {
				return 0, false
			}
			start, ok := num(f.Resolve(left, nil))
			if !ok {
				start = 0
			}
			n := hi - start
			if op == "<=" {
				n++
			}
			return n, n >= 1
		case ">", "!=":
			// while retries > 0: counts down from its starting value.
			start, ok := num(f.Resolve(left, nil))
			lo, ok2 := num(right)
			if !ok || !ok2 || start <= lo {
				return 0, false
			}
			return start - lo, true
		}
	}
	return 0, false
}

// sharers is how many chats the file runs at once on one key: the widest
// concurrency with a known width, limited by a numeric semaphore; 2 when the
// width is unknown (at least two, the smallest concurrency there is).
func sharers(f *pyfacts.File) int {
	n := 1
	for _, c := range f.Concurrency {
		w := c.Width
		if w == 0 {
			w = max(len(c.Chats), 2)
		}
		n = max(n, w)
	}
	if n > 1 {
		for _, s := range f.Semaphores {
			if s.Kind != "call" {
				continue
			}
			if v, ok := f.Number(f.Positional(s, 0), nil); ok && v >= 1 && int(v) < n {
				n = int(v)
			}
		}
	}
	return n
}

// firstModel is the first model name written in the code, for snippets.
func firstModel(f *pyfacts.File) string {
	for _, c := range f.Constructs {
		if a := c.Kw(f, "model"); a != nil {
			if v, ok := f.Str(a.Value, a.Bind); ok && v != "" {
				return v
			}
		}
		if a := c.Kw(f, "llm_config"); a != nil {
			if m := f.DictGet(a.Value, "model", a.Bind, 0); m != nil {
				if v, ok := f.Str(m.Value, m.Bind); ok && v != "" {
					return v
				}
			}
			if cl := f.DictGet(a.Value, "config_list", a.Bind, 0); cl != nil {
				for _, e := range f.ListItems(cl.Value, cl.Bind) {
					if m := f.DictGet(e, "model", cl.Bind, 0); m != nil {
						if v, ok := f.Str(m.Value, m.Bind); ok && v != "" {
							return v
						}
					}
				}
			}
		}
	}
	return ""
}
