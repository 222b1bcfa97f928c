package budget

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestCalls(t *testing.T) {
	tests := []struct {
		name          string
		chat          Chat
		expected      int
		worst         int
		unbounded     bool
		stepSubstring string
	}{
		{
			// Defaults: AssistantAgent cap 100, UserProxyAgent(human_input_mode="NEVER") cap 100.
			// Assistant replies ≤ min(100 + 1, 100) = 100; no LLM on the proxy → 100 calls.
			name: "0.2 two agents, all defaults", chat: Chat{Pattern: TwoAgent},
			expected: 100, worst: 100, stepSubstring: "min(sender cap 100 + 1, assistant cap 100) = 100",
		},
		{
			// Proxy cap 5 → assistant replies ≤ min(5+1, 100) = 6; + reflection summary 1 = 7.
			name: "0.2 proxy cap 5 + reflection", chat: Chat{Pattern: TwoAgent, SenderCap: 5, Reflection: true},
			expected: 7, worst: 7,
		},
		{
			// max_turns=3 caps the assistant at 3 replies; the proxy has an LLM: + (3-1) = 5.
			name: "0.2 max_turns 3, both LLM", chat: Chat{Pattern: TwoAgent, MaxTurns: 3, SenderLLM: true},
			expected: 5, worst: 5,
		},
		{
			// An explicit max_consecutive_auto_reply=0 on the proxy → min(0+1, 100) = 1 call.
			name: "0.2 proxy cap 0", chat: Chat{Pattern: TwoAgent, SenderCap: NoReply},
			expected: 1, worst: 1,
		},
		{
			// Proxy cap 10 → 11 replies, 1 tool round trip each → + 11 = 22; with a
			// termination check the expected run is min(22, 6 + 2) = 8.
			name: "0.2 tools + termination", chat: Chat{Pattern: TwoAgent, SenderCap: 10, ToolRoundTrips: 1, HasTextStop: true},
			expected: 8, worst: 22,
		},
		{
			// GroupChat max_round=10, "auto": 9 speaker replies; per round 1 speaker call
			// + 1..3 selector calls (1 + max_retries_for_selecting_speaker 2).
			// worst 9 × 4 = 36, expected 9 × 2 = 18.
			name: "0.2 group chat auto max_round 10", chat: Chat{Pattern: GroupChat0, MaxRound: 10},
			expected: 18, worst: 36, stepSubstring: "1 to 3 selector calls",
		},
		{
			// round_robin: no selector calls → 9 × 1 = 9.
			name: "0.2 group chat round robin", chat: Chat{Pattern: GroupChat0, MaxRound: 10, SpeakerSelection: "round_robin"},
			expected: 9, worst: 9,
		},
		{
			// max_round=50, auto: 49 × 4 = 196 worst; termination check → min(49,5) × 2 = 10 expected.
			name: "0.2 group chat 50 rounds with stop", chat: Chat{Pattern: GroupChat0, MaxRound: 50, HasTextStop: true},
			expected: 10, worst: 196,
		},
		{
			// RoundRobinGroupChat with no max_turns and no MaxMessageTermination: unbounded.
			name: "0.4 round robin unbounded", chat: Chat{Pattern: RoundRobin, HasTextStop: true},
			unbounded: true, expected: 20, worst: math.MaxInt,
		},
		{
			// MaxMessageTermination(10): the task is message 1 → 9 agent turns × 1 call.
			name: "0.4 round robin max messages 10", chat: Chat{Pattern: RoundRobin, MaxMessages: 10},
			expected: 9, worst: 9,
		},
		{
			// SelectorGroupChat max_turns=6: per turn 1 agent call + 1..3 selector calls → worst 6 × 4 = 24, expected 6 × 2 = 12.
			name: "0.4 selector max_turns 6", chat: Chat{Pattern: Selector, MaxTurns: 6},
			expected: 12, worst: 24,
		},
		{
			// max_tool_iterations=5 + reflect_on_tool_use: per turn worst 5 + 1 = 6; 4 turns → 24.
			// Expected with 2 tool round trips: min(1+2, 5) + 1 = 4 per turn → 16.
			name: "0.4 tool iterations", chat: Chat{Pattern: RoundRobin, MaxTurns: 4, MaxToolIterations: 5, ReflectOnToolUse: true, ToolRoundTrips: 2},
			expected: 16, worst: 24,
		},
		{
			// MagenticOne default max_turns 20: 2 + 20 × 2 + 1 = 43 expected; re-plans at most 20/3 = 6 × 2 → 55 worst.
			name: "0.4 magentic one default", chat: Chat{Pattern: MagenticOne},
			expected: 43, worst: 55,
		},
		{
			name: "0.4 single agent run", chat: Chat{Pattern: SingleAgent},
			expected: 1, worst: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Calls(tt.chat)
			if got.Expected != tt.expected || got.Worst != tt.worst || got.Unbounded != tt.unbounded {
				t.Fatalf("Calls = expected %d worst %d unbounded %v; want %d %d %v\nsteps: %s",
					got.Expected, got.Worst, got.Unbounded, tt.expected, tt.worst, tt.unbounded, strings.Join(got.Steps, "; "))
			}
			if tt.stepSubstring != "" && !strings.Contains(strings.Join(got.Steps, "\n"), tt.stepSubstring) {
				t.Errorf("steps %q lack %q", got.Steps, tt.stepSubstring)
			}
		})
	}
}

func TestSimulateRPM(t *testing.T) {
	// Free tier 3 RPM, default two-agent chat (100 calls), 4 s per call:
	// a 60 s window holds floor(60/4) + 1 = 16 calls, so the 4th call is the
	// first over 3 → "at call 4".
	f := Simulate(Chat{Pattern: TwoAgent}, Limits{RPM: 3, Source: "OpenAI free tier"}, Load{})
	if f.RPMExceededAt != 4 {
		t.Fatalf("RPMExceededAt = %d, want 4 (summary %q)", f.RPMExceededAt, f.Summary)
	}
	if f.PeakRPM != 16 {
		t.Errorf("PeakRPM = %d, want 16", f.PeakRPM)
	}
	if !strings.Contains(f.Summary, "at call 4") {
		t.Errorf("summary %q", f.Summary)
	}
	if len(f.Keep) == 0 || !strings.Contains(strings.Join(f.Keep, "\n"), "max_turns=3") {
		t.Errorf("keep = %q, want a max_turns=3 cap (3 calls fit 3 RPM)", f.Keep)
	}
}

func TestSimulateConcurrentRPM(t *testing.T) {
	// 5 runs at once, 60 RPM, 2 s per call: window = 31 calls; 5 × i > 60 first at i = 13.
	f := Simulate(Chat{Pattern: TwoAgent, MaxTurns: 20}, Limits{RPM: 60}, Load{Concurrent: 5, Latency: 2 * time.Second})
	if f.RPMExceededAt != 13 {
		t.Fatalf("RPMExceededAt = %d, want 13", f.RPMExceededAt)
	}
	// The run has 20 calls, all inside one window → peak 20 × 5 = 100.
	if f.PeakRPM != 100 {
		t.Errorf("PeakRPM = %d, want 100", f.PeakRPM)
	}
	if !strings.Contains(strings.Join(f.Keep, "\n"), "asyncio.Semaphore") {
		t.Errorf("keep = %q, want a concurrency bound", f.Keep)
	}
}

func TestSimulateTPM(t *testing.T) {
	// Tokens of call i = 600 + (i-1)×350 + 300. Cumulative: 900, 2150, 3750, 5700, 8000, 10650.
	// TPM 10,000 is passed at call 6 (10,650), with one run and all calls in one window.
	f := Simulate(Chat{Pattern: TwoAgent, MaxTurns: 10}, Limits{TPM: 10000}, Load{})
	if f.TPMExceededAt != 6 {
		t.Fatalf("TPMExceededAt = %d, want 6", f.TPMExceededAt)
	}
	if got := callsUnderTPM(10000, Load{}.norm(), 16); got != 5 {
		t.Errorf("callsUnderTPM = %d, want 5", got)
	}
}

func TestSimulateUnder(t *testing.T) {
	// 10 calls against Tier 1 (500 RPM, 200,000 TPM): 10 requests and
	// 10×600 + 350×45 + 10×300 = 24,750 tokens in the busiest minute: under.
	f := Simulate(Chat{Pattern: TwoAgent, MaxTurns: 10}, Limits{RPM: 500, TPM: 200000}, Load{})
	if f.RPMExceededAt != 0 || f.TPMExceededAt != 0 {
		t.Fatalf("exceeded at %d/%d, want never", f.RPMExceededAt, f.TPMExceededAt)
	}
	if f.PeakTPM != 24750 {
		t.Errorf("PeakTPM = %d, want 24750", f.PeakTPM)
	}
	if !strings.Contains(f.Summary, "under") {
		t.Errorf("summary %q", f.Summary)
	}
}

func TestSimulateDaily(t *testing.T) {
	// Gemini free tier 25 requests per day; 9 calls per run → 2 runs a day.
	f := Simulate(Chat{Pattern: GroupChat0, MaxRound: 10, SpeakerSelection: "round_robin"}, Limits{RPD: 25}, Load{})
	if f.RPDRuns != 2 {
		t.Fatalf("RPDRuns = %d, want 2", f.RPDRuns)
	}
	if !strings.Contains(f.Summary, "only 2 such runs a day") {
		t.Errorf("summary %q", f.Summary)
	}
}

func TestAmplify(t *testing.T) {
	// SDK default 2 retries → 3 attempts; 2 config_list entries → × 2;
	// an app loop of 5 attempts → × 5: 3 × 2 × 5 = 30; 4 agents sharing → 120.
	a := Amplify([]Layer{
		SDKLayer(-1, ""),
		{Kind: LayerFailover, Attempts: 2},
		{Kind: LayerApp, Attempts: 5},
	}, 4)
	if a.PerCall != 30 || a.Burst != 120 {
		t.Fatalf("PerCall %d Burst %d, want 30 120", a.PerCall, a.Burst)
	}
	if !strings.Contains(a.Formula, "3 (client: 1 + default max_retries 2) × 2 (AutoGen failover over 2 config_list entries) × 5 (app retry loop) = 30") {
		t.Errorf("formula %q", a.Formula)
	}
	if !strings.Contains(a.Keep, "client's own retries") {
		t.Errorf("keep %q: an app loop without backoff should go, the client should stay", a.Keep)
	}
	if len(a.Changes) != 1 || !strings.Contains(a.Changes[0], "remove the app retry loop") {
		t.Errorf("changes %q", a.Changes)
	}
}

func TestAmplifyKeepsTenacityWithBackoff(t *testing.T) {
	// tenacity stop_after_attempt(6) with wait_random_exponential + client max_retries=3:
	// 4 × 6 = 24; keep tenacity, set the client to 0.
	a := Amplify([]Layer{SDKLayer(3, "a.py:3"), {Kind: LayerTenacity, Attempts: 6, Backoff: true}}, 1)
	if a.PerCall != 24 {
		t.Fatalf("PerCall = %d, want 24", a.PerCall)
	}
	if !strings.Contains(a.Keep, "tenacity") || len(a.Changes) != 1 || a.Changes[0] != "model client: max_retries=0" {
		t.Errorf("keep %q changes %q", a.Keep, a.Changes)
	}
}

func TestAmplifyOnlySDK(t *testing.T) {
	a := Amplify([]Layer{SDKLayer(-1, "")}, 1)
	if a.PerCall != 3 || !strings.Contains(a.Keep, "Nothing to remove") {
		t.Errorf("PerCall %d keep %q", a.PerCall, a.Keep)
	}
}

func TestThrottle(t *testing.T) {
	// 3 RPM shared by 2 agents: 3 × 0.8 / 2 = 1.2 RPM each = 0.02 requests per second.
	s := Throttle(ThrottleInput{Model: "gpt-4o-mini", Limits: Limits{RPM: 3, TPM: 60000}, Sharers: 2})
	if len(s) != 3 {
		t.Fatalf("got %d snippets, want 3", len(s))
	}
	if !strings.Contains(s[0].Code, `"api_rate_limit": 0.02,`) {
		t.Errorf("0.2 snippet:\n%s", s[0].Code)
	}
	if !strings.Contains(s[1].Code, "LIMITER = MinuteLimiter(1.2)") {
		t.Errorf("0.4 snippet:\n%s", s[1].Code)
	}
	// LiteLLM entry: rpm 3 × 0.8 = 2 (floor), tpm 60000 × 0.8 = 48000.
	if !strings.Contains(s[2].Code, "rpm: 2\n") || !strings.Contains(s[2].Code, "tpm: 48000") {
		t.Errorf("litellm snippet:\n%s", s[2].Code)
	}
	if Throttle(ThrottleInput{Limits: Limits{TPM: 1000}}) != nil {
		t.Error("no RPM limit should give no throttle snippet")
	}
}

func TestAdviceWording(t *testing.T) {
	// 3 RPM shared by 3 runs: one call per run fits; the advice must read as
	// English ("1 call", "one at a time"), and an explicit cap of 0 replies
	// on the starting agent gives exactly that one call.
	f := Simulate(Chat{Pattern: TwoAgent}, Limits{RPM: 3}, Load{Concurrent: 3})
	all := strings.Join(f.Keep, "\n")
	for _, want := range []string{"cap the chat at 1 call:", "max_consecutive_auto_reply=0", "one at a time"} {
		if !strings.Contains(all, want) {
			t.Errorf("keep = %q, want %q", f.Keep, want)
		}
	}
	for _, bad := range []string{"1 calls", "1 chats"} {
		if strings.Contains(all, bad) {
			t.Errorf("keep = %q has %q", f.Keep, bad)
		}
	}
	if got := Calls(Chat{Pattern: TwoAgent, SenderCap: NoReply}).Worst; got != 1 {
		t.Errorf("cap 0 gives %d calls, want 1", got)
	}
}

func TestContextWindowCapsTokens(t *testing.T) {
	// Call 1000 of an unbounded chat would send 600 + 999×350 = 350,250
	// prompt tokens; a 128,000-token window caps it: 128,000 + 300.
	l := Load{}.norm()
	if got := l.callTokens(1000); got != 128300 {
		t.Fatalf("callTokens(1000) = %d, want 128300", got)
	}
	// 4 s per call → 16 calls a minute; once the window is full every call
	// is 128,300 tokens, so the peak minute is 16 × 128,300 = 2,052,800.
	f := Simulate(Chat{Pattern: RoundRobin}, Limits{TPM: 30000}, Load{})
	if f.PeakTPM != 16*128300 {
		t.Errorf("PeakTPM = %d, want %d", f.PeakTPM, 16*128300)
	}
}
