package budget

import (
	"fmt"
	"math"
)

// Pattern is the shape of one conversation in a setup.
type Pattern string

const (
	// TwoAgent is a 0.2/AG2 initiate_chat between two agents.
	TwoAgent Pattern = "two-agent"
	// GroupChat0 is a 0.2/AG2 GroupChat run by a GroupChatManager.
	GroupChat0 Pattern = "group-chat"
	// RoundRobin is a 0.4 RoundRobinGroupChat (also Swarm: no extra calls).
	RoundRobin Pattern = "round-robin"
	// Selector is a 0.4 SelectorGroupChat.
	Selector Pattern = "selector"
	// MagenticOne is a 0.4 MagenticOneGroupChat.
	MagenticOne Pattern = "magentic-one"
	// SingleAgent is a 0.4 agent.run(...) on its own.
	SingleAgent Pattern = "single-agent"
)

// Autogen's defaults (reference §1.1, §1.3, §2.2).
const (
	DefaultAutoReplyCap   = 100 // MAX_CONSECUTIVE_AUTO_REPLY
	DefaultMaxRound       = 10  // GroupChat.max_round
	DefaultSelectRetries  = 2   // GroupChat.max_retries_for_selecting_speaker
	DefaultSelectorTries  = 3   // SelectorGroupChat.max_selector_attempts
	DefaultMagenticTurns  = 20  // MagenticOneGroupChat.max_turns
	DefaultToolIterations = 1   // AssistantAgent.max_tool_iterations (0.4)
)

// Chat describes one conversation as far as the call count is concerned.
// Zero values mean "not set" and take AutoGen's default where it has one.
type Chat struct {
	Pattern Pattern
	Name    string // e.g. "user_proxy → assistant" or "team"

	// TwoAgent (0.2).
	SenderCap    int  // sender's max_consecutive_auto_reply (0: default 100; use NoReply for an explicit 0)
	RecipientCap int  // recipient's max_consecutive_auto_reply
	SenderLLM    bool // the sender (usually a UserProxyAgent) has an llm_config
	SenderHuman  bool // sender's human_input_mode is ALWAYS: a person answers every turn
	MaxTurns     int  // initiate_chat max_turns, or a 0.4 team's max_turns
	Reflection   bool // summary_method="reflection_with_llm": one more call after the chat

	// GroupChat0.
	MaxRound          int    // GroupChat.max_round
	SpeakerSelection  string // "auto" (default), "round_robin", "random", "manual", or "custom"
	SelectRetries     int    // max_retries_for_selecting_speaker (0: default 2; use NoReply for an explicit 0)
	MaxSelectorTries  int    // SelectorGroupChat.max_selector_attempts (0: default 3)
	SelectorFunc      bool   // a selector_func/candidate_func that usually picks without the model
	MaxMessages       int    // MaxMessageTermination(n) in a 0.4 termination condition
	HasTextStop       bool   // a termination check that can end the chat early (TERMINATE, TextMention...)
	ToolRoundTrips    int    // tool calls expected per agent reply (each costs one more call)
	MaxToolIterations int    // 0.4 AssistantAgent.max_tool_iterations (0: default 1)
	ReflectOnToolUse  bool   // 0.4: one more call after tool use
}

// NoReply marks an explicit 0 where 0 otherwise means "take the default".
const NoReply = -1

// Count is the number of model calls one run of a chat can make.
type Count struct {
	Expected int
	Worst    int
	// Unbounded is true when nothing in the setup stops the chat: the worst
	// case is then limited only by the provider's quota.
	Unbounded bool
	// Steps spells out the arithmetic, one line each, for the person to check.
	Steps []string
}

func orDefault(v, def int) int {
	switch {
	case v == NoReply:
		return 0
	case v <= 0:
		return def
	}
	return v
}

// Calls counts the model calls of one chat.
func Calls(c Chat) Count {
	switch c.Pattern {
	case TwoAgent:
		return twoAgentCalls(c)
	case GroupChat0:
		return groupChatCalls(c)
	case RoundRobin, Selector, SingleAgent:
		return teamCalls(c)
	case MagenticOne:
		return magenticCalls(c)
	}
	return Count{Steps: []string{fmt.Sprintf("unknown pattern %q: not counted", c.Pattern)}}
}

// twoAgentCalls: reference §1.7. The recipient (assistant) answers at most
// min(sender cap + 1, recipient cap, max_turns) times: the sender's cap counts
// its automatic replies, and the first message is not one of them. When the
// sender has an LLM too, each of its automatic replies is a call as well.
func twoAgentCalls(c Chat) Count {
	var n Count
	if c.SenderHuman {
		// human_input_mode="ALWAYS": a person types every sender turn, so the
		// run lasts as long as they keep answering. Count one exchange.
		n.Expected, n.Worst = 1, 1
		n.Steps = append(n.Steps, "sender asks a human every turn (ALWAYS): about 1 call per answer you type")
		return n
	}
	senderCap := orDefault(c.SenderCap, DefaultAutoReplyCap)
	recipCap := orDefault(c.RecipientCap, DefaultAutoReplyCap)
	replies := min(senderCap+1, recipCap)
	n.Steps = append(n.Steps, fmt.Sprintf("assistant replies ≤ min(sender cap %d + 1, assistant cap %d) = %d", senderCap, recipCap, replies))
	if c.MaxTurns > 0 && c.MaxTurns < replies {
		replies = c.MaxTurns
		n.Steps = append(n.Steps, fmt.Sprintf("max_turns=%d caps it at %d", c.MaxTurns, replies))
	}
	calls := replies
	if c.SenderLLM {
		// The sender answers between assistant replies: one fewer than them.
		calls += max(replies-1, 0)
		n.Steps = append(n.Steps, fmt.Sprintf("sender has an LLM too: + %d calls", max(replies-1, 0)))
	}
	if c.ToolRoundTrips > 0 {
		// Each tool round trip: the executor answers without a model, then the
		// caller makes one more call (reference §1.4).
		extra := replies * c.ToolRoundTrips
		calls += extra
		n.Steps = append(n.Steps, fmt.Sprintf("%d tool round trips per reply: + %d calls", c.ToolRoundTrips, extra))
	}
	n.Worst = calls
	n.Expected = calls
	if c.HasTextStop {
		// A working termination check usually ends a task in a handful of turns.
		n.Expected = min(calls, 6+2*c.ToolRoundTrips)
		n.Steps = append(n.Steps, "a termination check can end it early: expect about "+fmt.Sprint(n.Expected))
	}
	if c.Reflection {
		n.Expected++
		n.Worst++
		n.Steps = append(n.Steps, "summary_method=reflection_with_llm: + 1 call")
	}
	return n
}

// groupChatCalls: reference §1.3. Rounds: the first message counts as round 1,
// so at most max_round-1 speaker replies. "auto" selection adds 1 to
// (1 + max_retries_for_selecting_speaker) calls per round.
func groupChatCalls(c Chat) Count {
	var n Count
	maxRound := orDefault(c.MaxRound, DefaultMaxRound)
	replies := max(maxRound-1, 0)
	n.Steps = append(n.Steps, fmt.Sprintf("max_round=%d → at most %d speaker replies (the first message is round 1)", maxRound, replies))
	sel := c.SpeakerSelection
	if sel == "" {
		sel = "auto"
	}
	perRoundWorst, perRoundExp := 1, 1
	if sel == "auto" {
		tries := 1 + orDefault(c.SelectRetries, DefaultSelectRetries)
		perRoundWorst += tries
		perRoundExp++
		n.Steps = append(n.Steps, fmt.Sprintf(`speaker_selection_method="auto": 1 to %d selector calls per round`, tries))
	} else {
		n.Steps = append(n.Steps, fmt.Sprintf("speaker_selection_method=%q: no selector calls", sel))
	}
	if c.ToolRoundTrips > 0 {
		perRoundWorst += c.ToolRoundTrips
		perRoundExp += c.ToolRoundTrips
		n.Steps = append(n.Steps, fmt.Sprintf("%d tool round trips per reply: + %d per round", c.ToolRoundTrips, c.ToolRoundTrips))
	}
	n.Worst = replies * perRoundWorst
	n.Expected = replies * perRoundExp
	n.Steps = append(n.Steps, fmt.Sprintf("worst: %d rounds × %d = %d calls; expected: %d × %d = %d", replies, perRoundWorst, n.Worst, replies, perRoundExp, n.Expected))
	if c.HasTextStop {
		early := min(replies, 5) * perRoundExp
		if early < n.Expected {
			n.Expected = early
			n.Steps = append(n.Steps, fmt.Sprintf("a termination check can end it early: expect about %d", early))
		}
	}
	return n
}

// teamCalls: reference §2.1, §2.2. Each turn is one agent's on_messages: 1
// call, plus one per extra tool iteration, plus one if reflect_on_tool_use.
// A SelectorGroupChat adds 1 (expected) to max_selector_attempts (worst)
// selector calls per turn unless a selector_func picks. The run stops at
// max_turns or MaxMessageTermination(n) (n counts the task message too).
func teamCalls(c Chat) Count {
	var n Count
	turns := math.MaxInt
	if c.MaxTurns > 0 {
		turns = c.MaxTurns
		n.Steps = append(n.Steps, fmt.Sprintf("max_turns=%d", c.MaxTurns))
	}
	if c.MaxMessages > 0 {
		// The task message counts as one message, so n messages allow n-1 agent turns.
		t := max(c.MaxMessages-1, 1)
		if t < turns {
			turns = t
		}
		n.Steps = append(n.Steps, fmt.Sprintf("MaxMessageTermination(%d) → at most %d agent turns", c.MaxMessages, t))
	}
	if c.Pattern == SingleAgent && turns == math.MaxInt {
		turns = 1 // agent.run(task) is one on_messages call
	}
	iters := orDefault(c.MaxToolIterations, DefaultToolIterations)
	perTurnWorst := iters
	perTurnExp := 1
	if c.ToolRoundTrips > 0 {
		perTurnExp = min(1+c.ToolRoundTrips, iters)
	}
	if iters > 1 {
		n.Steps = append(n.Steps, fmt.Sprintf("max_tool_iterations=%d: up to %d calls per agent turn", iters, iters))
	}
	if c.ReflectOnToolUse {
		perTurnWorst++
		perTurnExp++
		n.Steps = append(n.Steps, "reflect_on_tool_use=True: + 1 call per turn")
	}
	if c.Pattern == Selector && !c.SelectorFunc {
		tries := orDefault(c.MaxSelectorTries, DefaultSelectorTries)
		perTurnWorst += tries
		perTurnExp++
		n.Steps = append(n.Steps, fmt.Sprintf("SelectorGroupChat: 1 to %d selector calls per turn", tries))
	}
	if turns == math.MaxInt {
		n.Unbounded = true
		n.Expected = 20 * perTurnExp
		n.Worst = math.MaxInt
		n.Steps = append(n.Steps, "no max_turns and no MaxMessageTermination: nothing stops the team but a text match")
		return n
	}
	n.Worst = turns * perTurnWorst
	n.Expected = turns * perTurnExp
	n.Steps = append(n.Steps, fmt.Sprintf("worst: %d turns × %d = %d calls", turns, perTurnWorst, n.Worst))
	if c.HasTextStop {
		early := min(turns, 6) * perTurnExp
		if early < n.Expected {
			n.Expected = early
			n.Steps = append(n.Steps, fmt.Sprintf("a text termination can end it early: expect about %d", early))
		}
	}
	return n
}

// magenticCalls: reference §2.2. The orchestrator makes 2 calls at the start
// (facts and plan), a progress-ledger call every turn, the chosen agent's
// call, and a final-answer call; stalls add re-planning (2 calls each) and bad
// ledger JSON is asked again up to 10 times (not counted in "expected").
func magenticCalls(c Chat) Count {
	var n Count
	turns := orDefault(c.MaxTurns, DefaultMagenticTurns)
	n.Expected = 2 + turns*2 + 1
	n.Worst = n.Expected + 2*(turns/3) // a re-plan at most every max_stalls=3 turns
	n.Steps = append(n.Steps,
		fmt.Sprintf("orchestrator: 2 calls to plan + per turn (ledger + agent) × %d turns + 1 final answer = %d", turns, n.Expected),
		fmt.Sprintf("stalls re-plan (2 calls) at most every 3 turns: worst %d", n.Worst))
	return n
}
