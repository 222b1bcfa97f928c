package diagnose

import (
	"fmt"
)

var ruleRuntimeFailover = &Rule{
	ID:       "RLD3201",
	Title:    "Failed calls were retried again by failing over to the next config",
	Cause:    CauseDoubleRetry,
	Severity: SeverityWarning,
	Article:  "stacked-retries",
	Kinds:    runtimeKinds,
	Doc: `Groups the failed rows of a runtime log by ` + "`invocation_id`" + ` (one logical ` + "`create()`" + ` call). AutoGen
0.2 tries the entries of ` + "`config_list`" + ` in order and logs one failed row per entry
("config 0 failed", "config 1 failed", ...). Inside each entry the openai SDK has already retried
(` + "`max_retries`" + `, 2 by default) — those retries leave no row. So one logical call with two failed
rows cost up to six HTTP requests, and when the entries share a key or organisation, the failover
hits the same exhausted bucket immediately, with no backoff.

**Fix.** Keep one retry layer: a single entry with SDK retries that honour Retry-After, and a
fallback entry only for a different provider or key with its own limit.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			// no logical call failed on more than one config.
			if f.FailoverCalls == 0 {
				continue
			}
			first := f.FailoverRows[0]
			p.Report(Diag{
				Source: src,
				Line:   rowLine(first),
				Message: fmt.Sprintf("%s failed on several config_list entries in a row (up to %d failed rows each, the first at %s by %s%s); with the SDK's 2 hidden retries per entry that is up to %d HTTP requests for one call",
					plural(f.FailoverCalls, "logical call"), f.MaxFailedRows, first.Call(), first.Agent, when(first), 3*f.MaxFailedRows),
				Evidence: evidenceRows("failed rows of the same invocation:", f.FailoverRows),
				Fix: `config_list = [
    # one entry, one retry layer: the SDK backs off and honours Retry-After
    {"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"], "max_retries": 5},
]`,
			})
		}
	},
}

var ruleRuntimeResent = &Rule{
	ID:       "RLD3202",
	Title:    "A failed request was sent again right away by the application",
	Cause:    CauseDoubleRetry,
	Severity: SeverityWarning,
	Article:  "stacked-retries",
	Kinds:    runtimeKinds,
	Doc: `Looks for an agent whose call failed and whose next call, within five minutes and under a new
invocation, carried the same request. AutoGen does not do that by itself (its failover stays in
one invocation), so something around the chat — a ` + "`try/except`" + ` loop, tenacity, backoff, a job
runner — started the call again. That layer multiplies the SDK's retries and AutoGen's failover.

**Fix.** Remove the outer retry and give the SDK the retry budget instead.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			// no failed request came back under a new invocation.
			if f.Resent == 0 {
				continue
			}
			r := f.ResentRows[0]
			p.Report(Diag{
				Source: src,
				Line:   rowLine(r),
				Message: fmt.Sprintf("%s re-sent a request that had just failed, under a new invocation (first by %s at %s%s): an application-level retry on top of the SDK's",
					plural(f.Resent, "call"), r.Agent, r.Call(), when(r)),
				Evidence: evidenceRows("", f.ResentRows),
				Fix: `# no retry loop around the chat: the client retries with backoff
config_list = [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"], "max_retries": 5}]
assistant = AssistantAgent("assistant", llm_config={"config_list": config_list})
result = user_proxy.initiate_chat(assistant, message=task, max_turns=10)`,
			})
		}
	},
}
