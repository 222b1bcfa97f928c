package diagnose

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

// wantBudget is one expected ChatBudget.
type wantBudget struct {
	pattern         string
	expected, worst int
	unbounded       bool
	step            string // a substring of the steps
}

// wantRetry is the expected retry arithmetic.
type wantRetry struct {
	perCall, sharedBy int
	formula, keep     string
}

var codeEvidenceCases = []struct {
	name   string
	code   string
	budget []wantBudget
	retry  *wantRetry
}{
	{
		name: "0.2 two agents, reflection, tenacity over failover",
		code: `import os
from autogen import AssistantAgent, UserProxyAgent
from tenacity import retry, stop_after_attempt, wait_fixed

config_list = [
    {"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]},
    {"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]},
]
llm_config = {"config_list": config_list, "cache_seed": None}
assistant = AssistantAgent("assistant", llm_config=llm_config)
user_proxy = UserProxyAgent("user_proxy", human_input_mode="NEVER", max_consecutive_auto_reply=5, code_execution_config=False)

@retry(stop=stop_after_attempt(4), wait=wait_fixed(1))
def ask(q):
    return user_proxy.initiate_chat(assistant, message=q, summary_method="reflection_with_llm")
`,
		// proxy cap 5 → assistant replies ≤ min(5+1, 100) = 6; no LLM on the
		// proxy; reflection + 1 → 7 both expected and worst.
		budget: []wantBudget{{pattern: "two-agent", expected: 7, worst: 7, step: "min(sender cap 5 + 1, assistant cap 100) = 6"}},
		// SDK default 3 attempts × 2 config_list entries × stop_after_attempt(4) = 24;
		// tenacity waits a fixed second, so the client's retries are kept.
		retry: &wantRetry{perCall: 24, sharedBy: 1, formula: "3 (client: 1 + default max_retries 2) × 2 (AutoGen failover over 2 config_list entries) × 4 (tenacity @retry) = 24", keep: "client's own retries"},
	},
	{
		name: "0.2 max_turns with an LLM on both sides",
		code: `from autogen import ConversableAgent
llm_config = {"model": "gpt-4o-mini", "max_retries": 0}
a = ConversableAgent("a", llm_config=llm_config, human_input_mode="NEVER")
b = ConversableAgent("b", llm_config=llm_config, human_input_mode="NEVER")
a.initiate_chat(b, message="debate", max_turns=4)
`,
		// max_turns=4 → 4 replies by b + 3 by a (it has an LLM) = 7.
		budget: []wantBudget{{pattern: "two-agent", expected: 7, worst: 7, step: "max_turns=4"}},
		// max_retries=0: one attempt, one layer, nothing to remove.
		retry: &wantRetry{perCall: 1, sharedBy: 1, formula: "1 (client: 1 + max_retries 0) = 1", keep: "Nothing to remove"},
	},
	{
		name: "0.2 initiate_chats queue",
		code: `import autogen
llm_config = {"config_list": [{"model": "gpt-4o-mini"}]}
writer = autogen.AssistantAgent("writer", llm_config=llm_config)
critic = autogen.AssistantAgent("critic", llm_config=llm_config)
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=2, code_execution_config=False)
autogen.initiate_chats([
    {"sender": user, "recipient": writer, "message": "draft", "max_turns": 2, "summary_method": "reflection_with_llm"},
    {"sender": user, "recipient": critic, "message": "review"},
])
`,
		budget: []wantBudget{
			// user → writer: cap 2 → min(3, 100) = 3, max_turns=2 caps it at 2; + reflection = 3.
			{pattern: "two-agent", expected: 3, worst: 3, step: "max_turns=2 caps it at 2"},
			// user → critic: min(2 + 1, 100) = 3 replies.
			{pattern: "two-agent", expected: 3, worst: 3, step: "= 3"},
		},
		retry: &wantRetry{perCall: 3, sharedBy: 1, formula: "3 (client: 1 + default max_retries 2) = 3"},
	},
	{
		name: "0.2 group chat auto, max_round 12, manager stop",
		code: `import autogen
llm_config = {"config_list": [{"model": "gpt-4o"}]}
planner = autogen.AssistantAgent("planner", llm_config=llm_config)
critic = autogen.AssistantAgent("critic", llm_config=llm_config)
user = autogen.UserProxyAgent("user", human_input_mode="TERMINATE", code_execution_config=False)
groupchat = autogen.GroupChat(agents=[user, planner, critic], messages=[], max_round=12, max_retries_for_selecting_speaker=1)
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config, is_termination_msg=lambda m: "TERMINATE" in m["content"])
user.initiate_chat(manager, message="plan a trip")
`,
		// max_round=12 → 11 speaker replies; "auto" with 1 retry → 1 to 2 selector calls.
		// worst 11 × (1 + 2) = 33, expected 11 × 2 = 22; the manager's check → min(11,5) × 2 = 10.
		budget: []wantBudget{{pattern: "group-chat", expected: 10, worst: 33, step: "1 to 2 selector calls"}},
		retry:  &wantRetry{perCall: 3, sharedBy: 1, formula: "3 (client: 1 + default max_retries 2) = 3"},
	},
	{
		name: "0.4 selector team, tools, app loop with backoff, gather",
		code: `import asyncio
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import SelectorGroupChat
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o", max_retries=5)
planner = AssistantAgent("planner", model_client=client)
coder = AssistantAgent("coder", model_client=client, tools=[search], max_tool_iterations=3)
termination = MaxMessageTermination(12) | TextMentionTermination("TERMINATE")
team = SelectorGroupChat([planner, coder], model_client=client, termination_condition=termination)

async def main(tasks):
    for attempt in range(3):
        try:
            await asyncio.gather(*(team.run(task=t) for t in tasks))
            break
        except Exception:
            await asyncio.sleep(2 ** attempt)
`,
		// MaxMessageTermination(12) → 11 turns; per turn worst 3 tool iterations + 3
		// selector calls = 6 → 66; expected min(1+1, 3) + 1 selector = 3 per turn,
		// the text mention ends it after about 6 turns → 18.
		budget: []wantBudget{{pattern: "selector", expected: 18, worst: 66, step: "MaxMessageTermination(12) → at most 11 agent turns"}},
		// 6 client attempts × 3 loop attempts = 18; gather over an unknown list counts as 2
		// sharers → 36; the loop backs off, so it is kept and the client set to 0.
		retry: &wantRetry{perCall: 18, sharedBy: 2, formula: "6 (client: 1 + max_retries 5) × 3 (app retry loop) = 18 requests per call; × 2 sharing one key = 36", keep: "Keep the app retry loop"},
	},
	{
		name: "0.4 round robin without a stop is unbounded; while loop counts down",
		code: `from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-mini")
a = AssistantAgent("a", model_client=client)
b = AssistantAgent("b", model_client=client)
team = RoundRobinGroupChat([a, b])

async def go():
    retries = 4
    while retries > 0:
        try:
            return await team.run(task="write a poem")
        except Exception:
            retries -= 1
`,
		// Nothing stops the team: unbounded (worst 0 in the report), expected 20 × 1.
		budget: []wantBudget{{pattern: "round-robin", expected: 20, unbounded: true, step: "nothing stops the team"}},
		// 3 SDK attempts × 4 loop attempts (4 → 0) = 12; the loop does not back off.
		retry: &wantRetry{perCall: 12, sharedBy: 1, formula: "3 (client: 1 + default max_retries 2) × 4 (app retry loop) = 12", keep: "client's own retries"},
	},
	{
		name: "0.4 MagenticOne and a single agent; tenacity without stop",
		code: `from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import MagenticOneGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient
from tenacity import retry

client = OpenAIChatCompletionClient(model="gpt-4o")
surfer = AssistantAgent("surfer", model_client=client, reflect_on_tool_use=True, tools=[fetch])
team = MagenticOneGroupChat([surfer], model_client=client, max_turns=10)

@retry
async def run_all():
    await team.run(task="find the answer")
    await surfer.run(task="one more")
`,
		// max_turns=10: 2 + 10 × 2 + 1 = 23 expected, + 2 × (10/3 = 3) re-plans = 29 worst.
		// surfer alone: 1 turn × (1 call + 1 reflection) = 2.
		budget: []wantBudget{
			{pattern: "magentic-one", expected: 23, worst: 29},
			{pattern: "single-agent", expected: 2, worst: 2, step: "reflect_on_tool_use=True"},
		},
		// A bare @retry has no stop: counted apart, the product stays 3.
		retry: &wantRetry{perCall: 3, sharedBy: 1, formula: "plus tenacity @retry on line 10 has no stop="},
	},
}

func TestEvidenceFromCode(t *testing.T) {
	for _, tc := range codeEvidenceCases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Run(context.Background(), []Input{{Name: "agents.py", Text: []byte(tc.code)}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			ev := rep.Evidence
			if ev == nil {
				t.Fatal("no evidence")
			}
			if len(ev.Budget) != len(tc.budget) {
				t.Fatalf("got %d budgets, want %d: %+v", len(ev.Budget), len(tc.budget), ev.Budget)
			}
			for i, w := range tc.budget {
				g := ev.Budget[i]
				if g.Pattern != w.pattern || g.Expected != w.expected || g.Worst != w.worst || g.Unbounded != w.unbounded {
					t.Errorf("budget %d = %s expected %d worst %d unbounded %v; want %s %d %d %v\nsteps: %q",
						i, g.Pattern, g.Expected, g.Worst, g.Unbounded, w.pattern, w.expected, w.worst, w.unbounded, g.Steps)
				}
				if w.step != "" && !strings.Contains(strings.Join(g.Steps, "\n"), w.step) {
					t.Errorf("budget %d steps %q lack %q", i, g.Steps, w.step)
				}
				if g.File != "agents.py" || g.Line == 0 {
					t.Errorf("budget %d not tied to a line: %s:%d", i, g.File, g.Line)
				}
			}
			if tc.retry == nil {
				if ev.Retry != nil {
					t.Errorf("unexpected retry math %+v", ev.Retry)
				}
				return
			}
			r := ev.Retry
			if r == nil {
				t.Fatal("no retry math")
			}
			if r.PerCall != tc.retry.perCall || r.SharedBy != tc.retry.sharedBy || r.Burst != r.PerCall*r.SharedBy {
				t.Errorf("retry = %d × %d = %d; want %d × %d\nformula %s", r.PerCall, r.SharedBy, r.Burst, tc.retry.perCall, tc.retry.sharedBy, r.Formula)
			}
			if !strings.Contains(r.Formula, tc.retry.formula) {
				t.Errorf("formula %q lacks %q", r.Formula, tc.retry.formula)
			}
			if !strings.Contains(r.Keep, tc.retry.keep) {
				t.Errorf("keep %q lacks %q", r.Keep, tc.retry.keep)
			}
		})
	}
}

// TestEvidenceConfigFailover: code that loads its config_list from a file
// given alongside fails over through that file's entries.
func TestEvidenceConfigFailover(t *testing.T) {
	code := `import autogen
config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=3, code_execution_config=False)
user.initiate_chat(assistant, message="go")
`
	cfg := `[
  {"model": "gpt-4o", "api_key": "sk-proj-abcdefghijklmnopqrstuvwx1234"},
  {"model": "gpt-4o-mini", "api_key": "sk-proj-abcdefghijklmnopqrstuvwx1234"},
  {"model": "gpt-3.5-turbo", "api_key": "sk-proj-abcdefghijklmnopqrstuvwx1234"}
]`
	rep, err := Run(context.Background(), []Input{{Name: "app.py", Text: []byte(code)}, {Name: "OAI_CONFIG_LIST.json", Text: []byte(cfg)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Evidence.Retry
	// 3 SDK attempts × 3 entries = 9.
	if r == nil || r.PerCall != 9 || !strings.Contains(r.Formula, "× 3 (AutoGen failover over 3 config_list entries) = 9") {
		t.Fatalf("retry %+v", r)
	}
	if !strings.Contains(strings.Join(r.Layers, "\n"), "(OAI_CONFIG_LIST.json)") {
		t.Errorf("layers %q do not name the config", r.Layers)
	}
}

// TestEvidenceGatewayRetries: a LiteLLM proxy config that retries adds
// its own layer, and the advice turns it off.
func TestEvidenceGatewayRetries(t *testing.T) {
	code := `from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient
client = OpenAIChatCompletionClient(model="gpt-4o", base_url="http://localhost:4000")
agent = AssistantAgent("a", model_client=client)
`
	proxy := `model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
litellm_settings:
  num_retries: 3
`
	rep, err := Run(context.Background(), []Input{{Name: "app.py", Text: []byte(code)}, {Name: "litellm.yaml", Text: []byte(proxy)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Evidence.Retry
	// 3 client attempts × (1 + 3) proxy attempts = 12.
	if r == nil || r.PerCall != 12 || !strings.Contains(strings.Join(r.Changes, "\n"), "num_retries: 0") {
		t.Fatalf("retry %+v (inputs %+v)", r, rep.Inputs)
	}
}

// TestEvidenceQuietInputs: inputs that predict nothing and record no run
// give no evidence section at all.
func TestEvidenceQuietInputs(t *testing.T) {
	for name, text := range map[string]string{
		"notes.txt": "just some words about my project",
		"util.py":   "def add(a, b):\n    return a + b\n",
	} {
		rep, err := Run(context.Background(), []Input{{Name: name, Text: []byte(text)}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Evidence != nil {
			t.Errorf("%s: evidence %+v, want none", name, rep.Evidence)
		}
	}
}

// TestEvidenceRuntimeDB runs the retry-storm and tool-heavy fixtures
// through Run by path and checks the evidence in the JSON report.
func TestEvidenceRuntimeDB(t *testing.T) {
	dir := t.TempDir()
	storm := filepath.Join(dir, "storm.db")
	if err := runlogtest.WriteDB(storm, runlogtest.RetryStorm()); err != nil {
		t.Fatal(err)
	}
	tools := filepath.Join(dir, "tools.db")
	if err := runlogtest.WriteDB(tools, runlogtest.ToolHeavy()); err != nil {
		t.Fatal(err)
	}
	// As the CLI passes files: by path, with Open for the sniffer.
	byPath := func(name, p string) Input {
		return Input{Name: name, Path: p, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
	}
	rep, err := Run(context.Background(), []Input{byPath("storm.db", storm), byPath("tools.db", tools)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	ev := back.Evidence
	if ev == nil {
		t.Fatalf("no evidence; inputs %+v notes %+v", rep.Inputs, rep.Notes)
	}
	// The storm has 51 calls against tools.db's 3: its timeline is drawn.
	if ev.Source != "storm.db" {
		t.Errorf("timeline source %q, want storm.db", ev.Source)
	}
	// 45 calls 1.2 s apart from 10:00:00 all start in minute 10:00; the 6
	// calls from 10:01:10 fall in 10:01, 5 of them rate_limit_exceeded.
	if len(ev.Timeline) != 2 {
		t.Fatalf("timeline %+v, want 2 minutes", ev.Timeline)
	}
	m0, m1 := ev.Timeline[0], ev.Timeline[1]
	if m0.Start != "2024-05-01T10:00:00Z" || m0.Requests != 45 || m0.RateLimited != 0 {
		t.Errorf("minute 0 = %+v", m0)
	}
	// 45 × (900 prompt + 300 completion) = 54,000 tokens.
	if m0.Tokens != 54000 {
		t.Errorf("minute 0 tokens = %d, want 54000", m0.Tokens)
	}
	if m1.Requests != 6 || m1.RateLimited != 5 {
		t.Errorf("minute 1 = %+v, want 6 requests, 5 rate-limited", m1)
	}
	// researcher: 15 + 3, writer: 15 + 2, critic: 15 + 1; the tool-heavy
	// assistant: 3.
	want := []Count{{"researcher", 18}, {"writer", 17}, {"critic", 16}, {"assistant", 3}}
	if fmt.Sprint(ev.CallsPerAgent) != fmt.Sprint(want) {
		t.Errorf("calls per agent = %v, want %v", ev.CallsPerAgent, want)
	}
	// scrape_page returned the 47-character nav block 700 times = 32,900.
	if len(ev.ToolResults) != 1 || ev.ToolResults[0].Tool != "scrape_page" || ev.ToolResults[0].Chars != 32900 || ev.ToolResults[0].File != "tools.db" {
		t.Errorf("tool results = %+v", ev.ToolResults)
	}
	if ev.Retry != nil || len(ev.Budget) != 0 {
		t.Errorf("no code was given, yet retry %+v budget %+v", ev.Retry, ev.Budget)
	}
}

// stormLog is an openai/httpx INFO log of a free-tier run: two good minutes,
// then a third with 429s and the client's retries, and the final error.
func stormLog() string {
	var b strings.Builder
	ok := `HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"`
	rl := `HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"`
	line := func(ts, msg string) { fmt.Fprintf(&b, "[%s] _client.py (1013) - [INFO] : %s\n", ts, msg) }
	line("2024-09-05 14:00:05.100", ok)
	line("2024-09-05 14:00:25.100", ok)
	line("2024-09-05 14:00:45.100", ok)
	line("2024-09-05 14:02:01.000", ok)
	line("2024-09-05 14:02:02.000", rl)
	line("2024-09-05 14:02:02.001", "Retrying request to /chat/completions in 0.915115 seconds")
	line("2024-09-05 14:02:03.000", rl)
	line("2024-09-05 14:02:03.001", "Retrying request to /chat/completions in 1.881526 seconds")
	line("2024-09-05 14:02:05.000", rl)
	b.WriteString("openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-erQx1ZrQBcN6XYo3YE on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}\n")
	return b.String()
}

// TestEvidenceLogAndCode: a plain log gives the timeline (with the gap
// minute filled), the RPM limit from the 429 text and, with the code, each
// budget says at which call a run passes that limit.
func TestEvidenceLogAndCode(t *testing.T) {
	code := `from autogen import AssistantAgent, UserProxyAgent
assistant = AssistantAgent("assistant", llm_config={"model": "gpt-4o-mini"})
user_proxy = UserProxyAgent("user_proxy", human_input_mode="NEVER", code_execution_config=False)
user_proxy.initiate_chat(assistant, message="hi")
`
	rep, err := Run(context.Background(), []Input{
		{Name: "run.log", Text: []byte(stormLog())},
		{Name: "agents.py", Text: []byte(code)},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ev := rep.Evidence
	if ev == nil {
		t.Fatal("no evidence")
	}
	if ev.LimitRPM != 3 || ev.LimitTPM != 0 {
		t.Errorf("limits %d RPM %d TPM, want 3 and 0", ev.LimitRPM, ev.LimitTPM)
	}
	// 14:00 three 200s; 14:01 nothing (filled); 14:02 one 200 and three 429s.
	if len(ev.Timeline) != 3 || ev.Source != "run.log" {
		t.Fatalf("timeline from %q: %+v", ev.Source, ev.Timeline)
	}
	if g := ev.Timeline; g[0].Requests != 3 || g[1].Requests != 0 || g[1].Start != "2024-09-05T14:01:00Z" || g[2].Requests != 4 || g[2].RateLimited != 3 {
		t.Errorf("timeline %+v", g)
	}
	// Default two-agent chat: 100 calls; 4 s apart a minute holds 16 calls,
	// so the 4th passes 3 RPM.
	if len(ev.Budget) != 1 || !strings.Contains(strings.Join(ev.Budget[0].Steps, "\n"), "at call 4") {
		t.Errorf("budget %+v", ev.Budget)
	}
	// With code, the retry math comes from the code (3 SDK attempts), not the log.
	if ev.Retry == nil || ev.Retry.PerCall != 3 {
		t.Errorf("retry %+v", ev.Retry)
	}
}

// TestEvidenceObservedRetry: a log alone still shows how many requests one
// logical call took.
func TestEvidenceObservedRetry(t *testing.T) {
	rep, err := Run(context.Background(), []Input{{Name: "run.log", Text: []byte(stormLog())}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Evidence.Retry
	if r == nil {
		t.Fatal("no observed retry")
	}
	// The 429 at 14:02:02 opened a chain: 3 HTTP requests, 2 SDK retries
	// in a row → 1 + 2 = 3 attempts per call.
	if r.PerCall != 3 || !strings.Contains(strings.Join(r.Layers, "\n"), "took 3 HTTP requests (3 answered 429)") {
		t.Errorf("observed retry %+v", r)
	}
}

func TestDenseTimeline(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(min int, req, rl int) logscan.Minute {
		return logscan.Minute{Start: t0.Add(time.Duration(min) * time.Minute), Requests: req, RateLimited: rl}
	}
	t.Run("gap filled", func(t *testing.T) {
		src := &Source{Name: "a.log", Log: &logscan.Facts{Timeline: []logscan.Minute{mk(0, 2, 0), mk(3, 5, 1)}}}
		tl, name := pickTimeline([]*Source{src})
		if name != "a.log" || len(tl) != 4 || tl[1].Requests != 0 || tl[3].Requests != 5 || tl[3].RateLimited != 1 {
			t.Errorf("timeline %+v", tl)
		}
	})
	t.Run("long run keeps the window around the busiest minute", func(t *testing.T) {
		// Minutes 0 and 1000 with a peak of 429s at 900: the window is
		// [900-120, 900+119] = [780, 1019], so minute 1000 stays and 0 goes.
		src := &Source{Name: "a.log", Log: &logscan.Facts{Timeline: []logscan.Minute{mk(0, 1, 0), mk(900, 9, 4), mk(1000, 2, 0)}}}
		tl, _ := pickTimeline([]*Source{src})
		if len(tl) != maxTimelineMinutes {
			t.Fatalf("len %d, want %d", len(tl), maxTimelineMinutes)
		}
		if tl[0].Start != t0.Add(780*time.Minute).Format(time.RFC3339) || tl[120].RateLimited != 4 || tl[220].Requests != 2 {
			t.Errorf("window starts %s; [120]=%+v [220]=%+v", tl[0].Start, tl[120], tl[220])
		}
	})
	t.Run("runtime wins, log 429s merged", func(t *testing.T) {
		rt := &Source{Name: "r.db", Runtime: &runlog.Facts{Timeline: []runlog.Minute{{Start: t0, Requests: 3, Tokens: 900}, {Start: t0.Add(time.Minute), Requests: 1, Errors429: 1}}}}
		lg := &Source{Name: "a.log", Log: &logscan.Facts{Timeline: []logscan.Minute{mk(0, 50, 0), mk(1, 9, 6)}}}
		tl, name := pickTimeline([]*Source{lg, rt})
		if name != "r.db" || len(tl) != 2 || tl[0].Tokens != 900 || tl[1].Requests != 1 || tl[1].RateLimited != 6 {
			t.Errorf("from %s: %+v", name, tl)
		}
	})
}

// TestReadSetupFragments: pasted fragments (cut calls, half loops, syntax
// errors) give a setup or a clear error, never a panic.
func TestReadSetupFragments(t *testing.T) {
	for _, code := range []string{
		"user.initiate_chat(",
		"while attempt <\n    team.run(task='x')\n",
		"for i in range(:\n    try:\n        a.initiate_chat(b)\n",
		"@retry(stop=stop_after_attempt(\ndef f(): u.initiate_chat(a)\n",
		"team = RoundRobinGroupChat([a, b], termination_condition=MaxMessageTermination() | )\nteam.run(task='t')\n",
		"groupchat = GroupChat(agents=[, max_round='ten')\nmanager = GroupChatManager(groupchat)\nu.initiate_chat(manager)\n",
		"",
	} {
		s, err := ReadSetup(context.Background(), "frag.py", []byte(code))
		if err == nil && s == nil {
			t.Errorf("%q: nil setup without an error", code)
		}
	}
	if _, err := ReadSetup(context.Background(), "big.py", make([]byte, maxInMemory+1)); err == nil {
		t.Error("oversized code accepted")
	}
}
