package runlogtest

import (
	"fmt"
	"strings"
	"time"
)

// Epoch is when every scenario starts (UTC).
var Epoch = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

const model = "gpt-4o-2024-05-13"

const system = "You are a helpful AI assistant. Solve tasks using your coding and language skills. Reply TERMINATE when the task is done."

func inv(prefix string, i int) string {
	return fmt.Sprintf("%s-%08d-0000-4000-8000-000000000000", prefix, i)
}

func twoAgents(fx *Fixture) {
	fx.Agents = []Agent{{ID: 101, WrapperID: 201, Name: "assistant", Class: "AssistantAgent"}, {ID: 102, WrapperID: 202, Name: "user_proxy", Class: "UserProxyAgent"}}
	fx.Wrappers = []Wrapper{{ID: 201, InitArgs: `{"llm_config": {"config_list": [{"model": "gpt-4o"}], "cache_seed": null}}`}}
	fx.Clients = []Client{{ID: 301, WrapperID: 201, Class: "OpenAI", InitArgs: `{"max_retries": 2}`}}
}

// Looping is a two-agent chat that never terminates: the first 11 calls are
// ordinary, then from call 12 the assistant and the user proxy exchange the
// same two messages (only an attempt number changes) 29 more times, one call
// every 3 seconds, with no cache.
func Looping() *Fixture { return looping(40, 12) }

// LoopingShort is Looping with 10 calls, looping from call 3: small enough
// to show on a rule page.
func LoopingShort() *Fixture { return looping(10, 3) }

func looping(total, from int) *Fixture {
	fx := &Fixture{Session: "5f0c0d4e-1111-4a11-9111-000000000001"}
	twoAgents(fx)
	msgs := []Msg{{Role: "system", Content: system}, {Role: "user", Content: "Plot NVDA and TSLA stock price change YTD and save it to stock.png.", Name: "user_proxy"}}
	t := Epoch
	for i := 1; i <= total; i++ {
		reply := fmt.Sprintf("Step %d: here is a different plan with a new script, variant %c.", i, 'a'+rune(i%26))
		if i >= from {
			reply = fmt.Sprintf("I apologize for the error. Let me fix the code (attempt %d). ```python\nimport yfinance\n```", i)
		}
		resp := OKResponse(fmt.Sprintf("chatcmpl-loop%03d", i), model, reply, 400+40*i, 60, t)
		fx.Completions = append(fx.Completions, Completion{Invocation: inv("aaaaaaaa", i), ClientID: 301, WrapperID: 201,
			Source: "assistant", Request: Request(model, msgs...), Response: resp, Cost: 0.004, Start: t, End: t.Add(1500 * time.Millisecond)})
		fx.Events = append(fx.Events, Event{Name: "received_message", Source: "user_proxy", Sender: "assistant", Content: reply, At: t.Add(1600 * time.Millisecond)})
		userMsg := fmt.Sprintf("exitcode: 1 (execution failed)\nCode output: ModuleNotFoundError: No module named 'yfinance' (run %d)", i)
		if i < from {
			userMsg = fmt.Sprintf("Output of step %d looks fine; continue with part %c.", i, 'k'+rune(i%13))
		}
		fx.Events = append(fx.Events, Event{Name: "received_message", Source: "assistant", Sender: "user_proxy", Content: userMsg, At: t.Add(2 * time.Second)})
		msgs = append(msgs, Msg{Role: "assistant", Content: reply}, Msg{Role: "user", Content: userMsg, Name: "user_proxy"})
		t = t.Add(3 * time.Second)
	}
	return fx
}

// RetryStorm is a three-agent run sharing one OpenAI key: 45 overlapping
// calls in the first minute, then rate_limit_exceeded failures; two logical
// calls fail over from config 0 to config 1, and the researcher re-sends a
// failed request right away (an application-level retry).
func RetryStorm() *Fixture {
	fx := &Fixture{Session: "5f0c0d4e-2222-4a22-9222-000000000002"}
	names := []string{"researcher", "writer", "critic"}
	for i, n := range names {
		w := int64(210 + i)
		fx.Agents = append(fx.Agents, Agent{ID: int64(110 + i), WrapperID: w, Name: n, Class: "AssistantAgent"})
		fx.Wrappers = append(fx.Wrappers, Wrapper{ID: w, InitArgs: `{"config_list": [{"model": "gpt-4o", "api_key": "sk-proj-FAKEFAKEFAKEFAKE0000a1b2"}, {"model": "gpt-4o-mini", "api_key": "sk-proj-FAKEFAKEFAKEFAKE0000a1b2"}]}`})
		fx.Clients = append(fx.Clients, Client{ID: int64(310 + i), WrapperID: w, Class: "OpenAI", InitArgs: `{}`})
	}
	t := Epoch
	n := 0
	add := func(agent int, invID int, req, resp string, start time.Time, dur time.Duration) {
		n++
		fx.Completions = append(fx.Completions, Completion{Invocation: inv("bbbbbbbb", invID), ClientID: int64(310 + agent), WrapperID: int64(210 + agent),
			Source: names[agent], Request: req, Response: resp, Start: start, End: start.Add(dur), Cost: 0.002})
	}
	for i := 0; i < 45; i++ {
		a := i % 3
		req := Request(model, Msg{Role: "system", Content: "You are the " + names[a] + "."}, Msg{Role: "user", Content: fmt.Sprintf("Section %d of the report: write about topic %c%c.", i, 'a'+rune(i%26), 'a'+rune(i/26))})
		start := t.Add(time.Duration(i) * 1200 * time.Millisecond)
		add(a, i, req, OKResponse(fmt.Sprintf("chatcmpl-storm%03d", i), model, "A paragraph.", 900, 300, start), start, 3*time.Second)
	}
	// minute 2: the limit is reached.
	t2 := t.Add(70 * time.Second)
	failReq := Request(model, Msg{Role: "system", Content: "You are the researcher."}, Msg{Role: "user", Content: "Find three sources on rate limits."})
	add(0, 100, failReq, ErrorResponse("rate_limit_exceeded", 0), t2, 4*time.Second)
	add(0, 100, failReq, ErrorResponse("rate_limit_exceeded", 1), t2.Add(4*time.Second), 4*time.Second)
	add(0, 101, failReq, OKResponse("chatcmpl-resent", model, "Sources: ...", 30, 40, t2.Add(9*time.Second)), t2.Add(9*time.Second), 2*time.Second)
	wreq := Request(model, Msg{Role: "system", Content: "You are the writer."}, Msg{Role: "user", Content: "Draft the introduction."})
	add(1, 102, wreq, ErrorResponse("rate_limit_exceeded", 0), t2.Add(1*time.Second), 4*time.Second)
	add(1, 102, wreq, ErrorResponse("rate_limit_exceeded", 1), t2.Add(5*time.Second), 4*time.Second)
	add(2, 103, Request(model, Msg{Role: "user", Content: "Critique the draft."}), ErrorResponse("rate_limit_exceeded", 0), t2.Add(2*time.Second), 4*time.Second)
	return fx
}

// QuotaFailure is a short run whose account has no credit: three calls
// succeed on the cached config, then insufficient_quota.
func QuotaFailure() *Fixture {
	fx := &Fixture{Session: "5f0c0d4e-3333-4a33-9333-000000000003"}
	twoAgents(fx)
	t := Epoch
	for i := 0; i < 3; i++ {
		req := Request(model, Msg{Role: "system", Content: system}, Msg{Role: "user", Content: fmt.Sprintf("Question %c: what is %d squared?", 'a'+rune(i), i+2)})
		fx.Completions = append(fx.Completions, Completion{Invocation: inv("cccccccc", i), ClientID: 301, WrapperID: 201, Source: "assistant",
			Request: req, Response: OKResponse("chatcmpl-q", model, "The answer.", 50, 10, t), Start: t, End: t.Add(time.Second), Cost: 0.0004})
		t = t.Add(20 * time.Second)
	}
	req := Request(model, Msg{Role: "system", Content: system}, Msg{Role: "user", Content: "Summarise the findings."})
	fx.Completions = append(fx.Completions, Completion{Invocation: inv("cccccccc", 9), ClientID: 301, WrapperID: 201, Source: "assistant",
		Request: req, Response: ErrorResponse("insufficient_quota", 0), Start: t, End: t.Add(800 * time.Millisecond)})
	return fx
}

// CleanCached is a healthy rerun: ten calls spread over five minutes, the
// four repeated ones answered from the cache (is_cached=1). No rule should fire.
func CleanCached() *Fixture {
	fx := &Fixture{Session: "5f0c0d4e-4444-4a44-9444-000000000004"}
	twoAgents(fx)
	t := Epoch
	for i := 0; i < 10; i++ {
		k := i
		cached := false
		if i >= 6 {
			k, cached = i-6, true
		}
		req := Request(model, Msg{Role: "system", Content: system}, Msg{Role: "user", Content: fmt.Sprintf("Translate sentence %c into French.", 'a'+rune(k))})
		fx.Completions = append(fx.Completions, Completion{Invocation: inv("dddddddd", i), ClientID: 301, WrapperID: 201, Source: "assistant",
			Request: req, Response: OKResponse("chatcmpl-c", model, "Une phrase.", 40, 8, t), Cached: cached, Start: t, End: t.Add(time.Second), Cost: 0.0003})
		t = t.Add(30 * time.Second)
	}
	return fx
}

// NoCacheRerun is the same five-call script run three times in one log with
// caching off (cache_seed=None): ten calls a cache would have answered.
func NoCacheRerun() *Fixture {
	fx := &Fixture{Session: "5f0c0d4e-5555-4a55-9555-000000000005"}
	twoAgents(fx)
	t := Epoch
	for run := 0; run < 3; run++ {
		for i := 0; i < 5; i++ {
			req := Request(model, Msg{Role: "system", Content: system}, Msg{Role: "user", Content: fmt.Sprintf("Task %c: classify review %c.", 'a'+rune(i), 'p'+rune(i))})
			fx.Completions = append(fx.Completions, Completion{Invocation: inv("eeeeeeee", run*10+i), ClientID: 301, WrapperID: 201, Source: "assistant",
				Session: fmt.Sprintf("5f0c0d4e-5555-4a55-9555-00000000000%d", run), Request: req,
				Response: OKResponse("chatcmpl-n", model, "positive", 60, 2, t), Start: t, End: t.Add(time.Second), Cost: 0.0002})
			t = t.Add(15 * time.Second)
		}
		t = t.Add(10 * time.Minute)
	}
	return fx
}

// ToolHeavy is an agent whose web-scraping tool returns whole pages: each
// call's request carries the growing tool results, which dwarf the rest.
func ToolHeavy() *Fixture { return toolHeavy(700) }

// ToolNoisyShort is ToolHeavy with 7 KB pages: results dominate the
// prompts, but no single one is huge.
func ToolNoisyShort() *Fixture { return toolHeavy(150) }

// HugeToolResult is one call followed by one tool result of about 23 KB.
func HugeToolResult() *Fixture {
	fx := &Fixture{Session: "5f0c0d4e-7777-4a77-9777-000000000007"}
	twoAgents(fx)
	req := Request(model, Msg{Role: "system", Content: system}, Msg{Role: "user", Content: "Summarise the changelog of the project."})
	fx.Completions = append(fx.Completions, Completion{Invocation: inv("99999999", 1), ClientID: 301, WrapperID: 201, Source: "assistant",
		Request: req, Response: OKResponse("chatcmpl-h", model, "Calling fetch_changelog.", 80, 20, Epoch), Start: Epoch, End: Epoch.Add(time.Second), Cost: 0.001})
	fx.Functions = append(fx.Functions, Function{Source: "user_proxy", Name: "fetch_changelog", Args: `{"repo": "example/project"}`,
		Returns: strings.Repeat("* Fixed a bug in the parser; see the issue tracker for details.\n", 360), At: Epoch.Add(2 * time.Second)})
	return fx
}

func toolHeavy(repeat int) *Fixture {
	fx := &Fixture{Session: "5f0c0d4e-6666-4a66-9666-000000000006"}
	twoAgents(fx)
	t := Epoch
	page := strings.Repeat("<div class=\"nav\">Home | Products | About</div> ", repeat) // 47 bytes a repeat
	msgs := []Msg{{Role: "system", Content: system}, {Role: "user", Content: "Compare the pricing pages of three vendors."}}
	for i := 0; i < 3; i++ {
		fx.Completions = append(fx.Completions, Completion{Invocation: inv("ffffffff", i), ClientID: 301, WrapperID: 201, Source: "assistant",
			Request: Request(model, msgs...), Response: OKResponse("chatcmpl-t", model, "Calling scrape_page.", 200+9000*i, 30, t), Start: t, End: t.Add(2 * time.Second), Cost: 0.01})
		fx.Functions = append(fx.Functions, Function{Source: "user_proxy", Name: "scrape_page", Args: fmt.Sprintf(`{"url": "https://vendor%d.example/pricing"}`, i), Returns: page, At: t.Add(3 * time.Second)})
		msgs = append(msgs, Msg{Role: "assistant", Content: fmt.Sprintf("Let me fetch vendor %c.", 'a'+rune(i))}, Msg{Role: "tool", Content: page})
		t = t.Add(40 * time.Second)
	}
	return fx
}
