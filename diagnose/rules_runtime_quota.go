package diagnose

import (
	"fmt"
	"math"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
)

// minBurstRequests is the request rate (per 60 s) the burst rule reports:
// ten times the OpenAI free tier's 3 RPM, and the whole budget of a 5,000-TPM
// Azure deployment (6 RPM per 1,000 TPM).
const minBurstRequests = 30

// rateLimitFix throttles calls to rpm requests per minute per agent.
func rateLimitFix(gen string, rpm float64) string {
	if gen == "0.4" {
		return `import asyncio

# at most two model calls in flight for the whole team
gate = asyncio.Semaphore(2)

async def run_limited(task: str):
    async with gate:
        return await team.run(task=task)`
	}
	perSec := math.Max(0.001, math.Floor(rpm/60*1000)/1000)
	return fmt.Sprintf(`config_list = [
    {
        "model": "gpt-4o",
        "api_key": os.environ["OPENAI_API_KEY"],
        "api_rate_limit": %g,  # requests per second per agent: about %d per minute
    },
]`, perSec, int(math.Round(perSec*60)))
}

var ruleRuntimeRateLimited = &Rule{
	ID:       "RLD5201",
	Title:    "Calls failed with rate_limit_exceeded",
	Cause:    CauseLowQuota,
	Severity: SeverityError,
	Article:  "quota-and-tiers",
	Kinds:    runtimeKinds,
	Doc: `Counts the failed calls a runtime log recorded with a rate-limit code: OpenAI's
` + "`rate_limit_exceeded`" + ` and Azure OpenAI's ` + "`429`" + `. AutoGen 0.2 logs a failed call as a row whose
response is ` + "`{\"response\": \"error_code:rate_limit_exceeded, config 0 failed\"}`" + `, after the openai
SDK has already retried it (2 retries by default), so each such row is a call that still failed
after about three HTTP requests.

The finding shows the first failure and the calls just before it: how many requests and tokens the
run sent in the 60 seconds that led up to it, which is the pace the provider refused.

**Fix.** Slow the run below the limit (` + "`api_rate_limit`" + ` per config entry in 0.2, a semaphore or a
proxy with ` + "`rpm`" + `/` + "`tpm`" + ` in 0.4), or raise the limit (tier, deployment quota).`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			n := 0
			var codes []string
			for _, e := range f.Errors {
				if runlog.IsRateLimitCode(e.Code) {
					n += e.Count
					codes = append(codes, e.Code)
				}
			}
			// no rate-limit failures recorded: nothing to explain here.
			if n == 0 {
				continue
			}
			first := f.FirstFailure
			msg := fmt.Sprintf("%s failed with %s", plural(n, "call"), strings.Join(codes, "/"))
			var ev string
			rpm := 3.0
			if first != nil && runlog.IsRateLimitCode(first.Call.Error) {
				msg += fmt.Sprintf("; the first, by %s at %s%s, came after %d requests and %d tokens in the 60 s before it",
					first.Call.Agent, first.Call.Call(), when(first.Call), first.LastMin, first.LastMinTk)
				ev = evidenceRows("calls before the first failure:", append(append([]runlog.Row(nil), first.Before...), first.Call))
				agents := max(1, f.Peak.Agents)
				rpm = math.Max(1, float64(first.LastMin)*0.8/float64(agents))
			} else {
				for _, e := range f.Errors {
					if runlog.IsRateLimitCode(e.Code) {
						ev = evidenceRows("first failure:", []runlog.Row{e.First})
						break
					}
				}
			}
			if f.HTTP.Status429 > 0 {
				msg += fmt.Sprintf(" (the openai/httpx lines show %d HTTP 429 responses and %d retries)", f.HTTP.Status429, f.HTTP.Retries)
			}
			line := 0
			if first != nil {
				line = rowLine(first.Call)
			}
			p.Report(Diag{Source: src, Line: line, Message: msg, Evidence: ev, Fix: rateLimitFix(f.Generation, rpm)})
		}
	},
}

var ruleRuntimeQuota = &Rule{
	ID:       "RLD5202",
	Title:    "Calls failed with insufficient_quota",
	Cause:    CauseLowQuota,
	Severity: SeverityError,
	Article:  "quota-and-tiers",
	Kinds:    runtimeKinds,
	Doc: `Finds failed calls recorded with the code ` + "`insufficient_quota`" + `. OpenAI sends it with HTTP 429
too, but it is not a rate: the account or project has no credit left (or the free grant expired).
Waiting does not help and every retry is wasted — the openai SDK retries a 429 twice by default
whatever its code.

**Fix.** Add credit or use a key of a funded project; until then, make the client fail fast
instead of retrying.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			var e *runlog.ErrorCount
			for i := range f.Errors {
				if f.Errors[i].Code == "insufficient_quota" {
					e = &f.Errors[i]
				}
			}
			// the account had credit for every recorded call.
			if e == nil {
				continue
			}
			p.Report(Diag{
				Source: src,
				Line:   rowLine(e.First),
				Message: fmt.Sprintf("%s failed with insufficient_quota, the first by %s at %s%s: the account has no credit left, so waiting or retrying cannot succeed",
					plural(e.Count, "call"), e.First.Agent, e.First.Call(), when(e.First)),
				Evidence: evidenceRows("", []runlog.Row{e.First}),
				Fix: `config_list = [
    {
        "model": "gpt-4o-mini",
        "api_key": os.environ["OPENAI_API_KEY"],  # a key of a project with credit
        "max_retries": 0,  # fail fast: retrying insufficient_quota cannot succeed
    },
]`,
			})
		}
	},
}

var ruleRuntimeBurst = &Rule{
	ID:       "RLD5203",
	Title:    "Requests came in a burst above low-tier limits",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "quota-and-tiers",
	Kinds:    runtimeKinds,
	Doc: `Slides a 60-second window over the calls of a runtime log (cache hits excluded, since they make
no request) and reports the busiest window when it holds 30 or more requests. The OpenAI free
tier allows 3 requests per minute, and an Azure deployment gets 6 requests per minute per 1,000
TPM of quota, so a run at this pace hits a low tier's limit within seconds; on higher tiers it is
the tokens per minute of that window that count.

**Fix.** Throttle each agent (` + "`api_rate_limit`" + ` is requests per second, per config entry, per agent)
so that all agents together stay under your tier's RPM, or run agents one after another.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			pk := f.Peak
			// the busiest minute stays under what even low tiers allow.
			if pk.Requests < minBurstRequests {
				continue
			}
			msg := fmt.Sprintf("%d requests in the 60 s from %s (%s); the busiest minute for tokens had %d tokens",
				pk.Requests, pk.Start.Format("2006-01-02 15:04:05"), plural(pk.Agents, "agent"), f.PeakTok.Tokens)
			for _, s := range f.Sessions {
				if s.FirstMinute >= minBurstRequests {
					msg += fmt.Sprintf("; session %s made %d calls in its first minute", shortID(s.ID), s.FirstMinute)
					break
				}
			}
			rpm := math.Max(1, float64(pk.Requests)/2/float64(max(1, pk.Agents)))
			p.Report(Diag{Source: src, Message: msg, Evidence: evidenceRows("last calls of the busiest minute:", f.PeakRows), Fix: rateLimitFix(f.Generation, rpm)})
		}
	},
}

// shortID shortens a session UUID for messages.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
