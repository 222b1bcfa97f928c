package diagnose

import (
	"fmt"
	"strings"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
)

// Thresholds for "small" limits. A tier-1 OpenAI key allows hundreds of
// requests a minute; 60 or fewer (one a second) is a free or trial tier.
const (
	logSmallRPM = 60
	logSmallTPM = 60000
	logDayWait  = time.Hour // a retry-after this long is a daily (or spent) quota, not a burst
)

var ruleLogInsufficientQuota = &Rule{
	ID:       "RLD5101",
	Title:    "The 429 is insufficient_quota: the account's credit is spent",
	Cause:    CauseLowQuota,
	Severity: SeverityError,
	Article:  "quota-and-tiers",
	Kinds:    []Kind{KindLog},
	Doc: `Finds OpenAI's ` + "`insufficient_quota`" + ` error (HTTP 429, type and code ` + "`insufficient_quota`" + `,
"You exceeded your current quota, please check your plan and billing details").

**Why it matters.** It shares the status code and the ` + "`RateLimitError`" + ` class with a burst of calls, but it
is billing: the prepaid credit or the monthly budget is used up. Waiting, throttling or retrying
changes nothing; the openai client still retries it twice by default, which only adds noise.

**Not flagged.** Gemini's "You exceeded your current quota" (a RESOURCE_EXHAUSTED body with a quota id) is a
different error and is read by the quota rules.

**Fix.** Add credit or raise the budget (platform.openai.com → Billing), or use a funded project's key; stop
retrying this code.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5101]`" + ` in the log or on the command line.`,
	Run: checkLogInsufficientQuota,
}

func checkLogInsufficientQuota(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		for _, rl := range f.RateLimits {
			if rl.Kind != logscan.KindInsufficientQuota {
				continue
			}
			msg := fmt.Sprintf("%s answered 429 insufficient_quota (%s): the account's credit or budget is spent; this is billing, not too many calls",
				rlProviderName(rl), times(rl.Count)) + viaNote(rl)
			if n := sdkRetriesIn(f, rl.Line); n > 0 {
				msg += fmt.Sprintf("; the client retried it %s in vain", times(n))
			}
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Message: msg, Evidence: rl.Message,
				Fix: `Add credit or raise the monthly budget (platform.openai.com → Settings → Billing), or use a key
of a funded project. Retrying cannot succeed, so do not retry this code:

import openai
try:
    result = user_proxy.initiate_chat(assistant, message=task)
except openai.RateLimitError as e:
    if getattr(e, "code", None) == "insufficient_quota":
        raise SystemExit("OpenAI credit is spent: top up the account")  # billing, not a burst
    raise`})
		}
	}
}

var ruleLogSmallRPM = &Rule{
	ID:       "RLD5102",
	Title:    "The error shows a small requests-per-minute limit",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "quota-and-tiers",
	Kinds:    []Kind{KindLog},
	Doc: `Reads the requests-per-minute (RPM) limit out of a 429 message ("on requests per min (RPM): Limit 3",
a Gemini ` + "`...PerMinute...`" + ` quota id with its quotaValue) and flags limits of 60 or fewer.

**Why it matters.** At 3 RPM (OpenAI's free tier) an agent chat can make one call every 20 seconds; any
two-agent exchange, group chat or tool loop goes over it within its first minute. The limit, not the code,
is the first thing to change or to design around.

**Not flagged.** Larger limits (a 500 RPM tier-1 key is not "small"), and limits that are only per day
(RLD5105).

**Fix.** Space the calls to the limit (AutoGen 0.2's ` + "`api_rate_limit`" + ` is in requests per *second*: 3 RPM is
` + "`0.05`" + `), or move to a paid tier.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5102]`" + `.`,
	Run: checkLogSmallRPM,
}

func checkLogSmallRPM(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			if rl.Kind != logscan.KindRPM || rl.Limit <= 0 || rl.Limit > logSmallRPM || rl.RetryAfter >= logDayWait {
				continue
			}
			msg := fmt.Sprintf("%s's requests-per-minute limit for %s is %d", rlProviderName(rl), modelOr(rl.Model), rl.Limit)
			if rl.Tier != "" {
				msg += " (" + rl.Tier + ")"
			}
			msg += fmt.Sprintf(": at most one call every %s; hit %s", perCall(rl.Limit), times(rl.Count)) + viaNote(rl)
			if rl.Provider == logscan.ProviderMoonshot {
				// The message says "max request: N" with a retry hint of seconds; it
				// does not say per minute, so no per-call interval is claimed.
				msg = fmt.Sprintf("Moonshot (Kimi) allows this account only %d requests at once or in a short window (\"max request: %d\"): agents, tools and retries running together exceed it; hit %s",
					rl.Limit, rl.Limit, times(rl.Count))
			}
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Message: msg, Evidence: rl.Message,
				Fix: fixThrottle(src.Log.Generation, rl.Limit) + "\n\n" + raiseTierNote(rl)})
		}
	}
}

// raiseTierNote says how this provider's limit is raised.
func raiseTierNote(rl logscan.RateLimit) string {
	switch rl.Provider {
	case logscan.ProviderOpenAI:
		return "Or raise the tier (a payment method lifts OpenAI's free-tier limit)."
	case logscan.ProviderGroq:
		return "Or move to Groq's paid (Dev) tier: console.groq.com/settings/billing."
	case logscan.ProviderGemini:
		return "Or enable billing on the Google Cloud project of the key: the free tier's per-model limits are the smallest."
	case logscan.ProviderMoonshot:
		return "Or raise the account's tier on the Moonshot platform; until then run one agent call at a time (no parallel tool calls or teams)."
	}
	return "Or raise the account's plan or tier with " + rlProviderName(rl) + "."
}

func perCall(rpm int64) string {
	d := time.Duration(float64(time.Minute) / float64(rpm))
	return fmtWait(d)
}

func modelOr(m string) string {
	if m == "" {
		return "this model"
	}
	return m
}

var ruleLogSmallTPM = &Rule{
	ID:       "RLD5103",
	Title:    "The error shows a small tokens-per-minute limit for the size of the requests",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "decode-429-message",
	Kinds:    []Kind{KindLog},
	Doc: `Reads a tokens-per-minute (TPM) limit out of a 429 message (OpenAI and Groq "on tokens per min (TPM): Limit
10000, Used 9348, Requested 5086", Anthropic "20,000 input tokens per minute", a Gemini input-token quota id) and
flags it when the limit is 60,000 or less, or when one request asks for half the minute's budget or more.

**Why it matters.** Agent chats resend the whole history on every call, so each request grows; with a
small TPM budget two or three calls fill the minute. When one request is larger than the whole limit
("Request too large"), no wait or retry can ever succeed.

**Fix.** Send fewer tokens per call: cap the history the model sees and the reply length, and shrink
tool output. Or use a model or tier with a larger TPM limit.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5103]`" + `.`,
	Run: checkLogSmallTPM,
}

func checkLogSmallTPM(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			if rl.Kind != logscan.KindTPM || rl.Limit <= 0 || rl.RetryAfter >= logDayWait {
				continue
			}
			big := rl.Requested > 0 && rl.Requested*2 >= rl.Limit
			if rl.Limit > logSmallTPM && !big && !rl.TooLarge {
				continue
			}
			msg := fmt.Sprintf("%s's tokens-per-minute limit for %s is %s", rlProviderName(rl), modelOr(rl.Model), fmtInt(rl.Limit))
			d := Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Evidence: rl.Message, Fix: fixShrinkContext(src.Log.Generation)}
			switch {
			case rl.TooLarge || (rl.Requested > rl.Limit):
				msg += fmt.Sprintf(" and one request asks for %s tokens: larger than the whole minute's budget, so no retry can succeed", fmtInt(rl.Requested))
				d.Severity = SeverityError
			case rl.Requested > 0:
				msg += fmt.Sprintf("; one request asks for %s tokens (%d%% of it)", fmtInt(rl.Requested), rl.Requested*100/rl.Limit)
				if rl.Used > 0 {
					msg += fmt.Sprintf(" with %s already used", fmtInt(rl.Used))
				}
			}
			if rl.Count > 1 {
				msg += fmt.Sprintf("; hit %s", times(rl.Count))
			}
			d.Message = msg + viaNote(rl)
			p.Report(d)
		}
	}
}

func fixShrinkContext(gen string) string {
	fix02 := `# AutoGen 0.2: limit the history and tokens each call sends
from autogen.agentchat.contrib.capabilities import transform_messages, transforms

limiter = transform_messages.TransformMessages(transforms=[
    transforms.MessageHistoryLimiter(max_messages=10),
    transforms.MessageTokenLimiter(max_tokens=4000, max_tokens_per_message=1000),
])
limiter.add_to_agent(assistant)
llm_config = {"config_list": config_list, "max_tokens": 800}`
	fix04 := `# AutoGen 0.4+: keep only the last messages in the model context
from autogen_core.model_context import BufferedChatCompletionContext

assistant = AssistantAgent("assistant", model_client=model_client,
                           model_context=BufferedChatCompletionContext(buffer_size=10))`
	switch gen {
	case "0.2":
		return fix02
	case "0.4":
		return fix04
	}
	return fix02 + "\n\n" + fix04
}

var ruleLogAzureQuota = &Rule{
	ID:       "RLD5104",
	Title:    "Azure OpenAI deployment quota exceeded",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "quota-and-tiers",
	Kinds:    []Kind{KindLog},
	Doc: `Finds Azure OpenAI's 429 "Requests to the ... Operation under Azure OpenAI API version ... have exceeded
(token|the call) rate limit of your current OpenAI S0 pricing tier. Please retry after N seconds".

**Why it matters.** On Azure the limit belongs to the deployment: its tokens-per-minute quota (and the
requests-per-minute that Azure derives from it, about 6 RPM per 1,000 TPM). Every agent that uses the
same deployment draws from that one bucket.

**Not flagged here.** A retry-after of an hour or more (often 86400 seconds) is a daily or spent quota:
RLD5105 reports it.

**Fix.** Raise the deployment's TPM in Azure AI Foundry (Deployments → Edit → Tokens per Minute Rate
Limit) or request more quota, spread agents over several deployments, and space the calls.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5104]`" + `.`,
	Run: checkLogAzureQuota,
}

func checkLogAzureQuota(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			if rl.Provider != logscan.ProviderAzure || rl.RetryAfter >= logDayWait || rl.Kind == logscan.KindOverloaded {
				continue
			}
			what := "rate limit"
			switch rl.Kind {
			case logscan.KindAzureTokenRate:
				what = "token rate limit (tokens per minute)"
			case logscan.KindAzureCallRate:
				what = "call rate limit (requests per minute)"
			}
			msg := "Azure OpenAI deployment exceeded its " + what
			if rl.Tier != "" {
				msg += " on the " + rl.Tier + " tier"
			}
			if rl.RetryAfter > 0 {
				msg += "; Azure asks to retry after " + fmtWait(rl.RetryAfter)
			}
			msg += fmt.Sprintf("; hit %s", times(rl.Count))
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Message: msg, Evidence: rl.Message,
				Fix: `Raise the deployment's quota: Azure AI Foundry → Deployments → <deployment> → Edit →
"Tokens per Minute Rate Limit" (requests per minute follow at about 6 per 1,000 TPM), or request more
quota at https://aka.ms/oai/quotaincrease. Give parallel agents their own deployments:

config_list = [
    {"model": "gpt-4o", "api_type": "azure", "base_url": os.environ["AZURE_OPENAI_ENDPOINT"],
     "api_version": "2024-08-01-preview", "api_key": os.environ["AZURE_OPENAI_API_KEY"]},
    {"model": "gpt-4o-2", "api_type": "azure", "base_url": os.environ["AZURE_OPENAI_ENDPOINT"],
     "api_version": "2024-08-01-preview", "api_key": os.environ["AZURE_OPENAI_API_KEY"]},  # a second deployment
]`})
		}
	}
}

var ruleLogDailyQuota = &Rule{
	ID:       "RLD5105",
	Title:    "A daily quota is spent, not a per-minute burst",
	Cause:    CauseLowQuota,
	Severity: SeverityError,
	Article:  "quota-and-tiers",
	Kinds:    []Kind{KindLog},
	Doc: `Finds 429s that are about a day, not a minute: "requests per day (RPD)" / "tokens per day (TPD)"
(OpenAI, Groq), a Gemini quota id with ` + "`PerDay`" + `, or a retry-after of an hour or more (Azure's
"Please retry after 86400 seconds", "try again in 14h29m").

**Why it matters.** A per-minute limit clears itself in seconds, so throttling and backoff fix it. A
daily quota does not: every retry until the reset fails, and slowing down only spreads the failures.

**Fix.** Wait for the reset or raise the quota (paid tier, another project's key, another model),
and stop retrying until then; during development, cache model replies so reruns cost nothing.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5105]`" + `.`,
	Run: checkLogDailyQuota,
}

func checkLogDailyQuota(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			daily := rl.Kind == logscan.KindRPD || rl.Kind == logscan.KindTPD
			if !daily && rl.RetryAfter < logDayWait {
				continue
			}
			if rl.Kind == logscan.KindInsufficientQuota || rl.Kind == logscan.KindGateway || rl.Kind == logscan.KindOverloaded {
				continue // their own rules say more
			}
			var what string
			switch rl.Kind {
			case logscan.KindRPD:
				what = "requests-per-day"
			case logscan.KindTPD:
				what = "tokens-per-day"
			default:
				what = "long-window"
			}
			msg := fmt.Sprintf("%s's %s quota", rlProviderName(rl), what)
			if rl.Model != "" {
				msg += " for " + rl.Model
			}
			msg += " is spent"
			if rl.Limit > 0 {
				msg += fmt.Sprintf(" (limit %s", fmtInt(rl.Limit))
				if rl.Used > 0 {
					msg += fmt.Sprintf(", used %s", fmtInt(rl.Used))
				}
				msg += ")"
			}
			if rl.QuotaID != "" {
				msg += " [" + rl.QuotaID + "]"
			}
			if rl.RetryAfter >= logDayWait {
				msg += "; it asks to wait " + fmtWait(rl.RetryAfter)
			} else if rl.RetryAfter > 0 {
				msg += "; the " + fmtWait(rl.RetryAfter) + " retry hint only spaces requests, the daily budget stays spent"
			}
			msg += ": throttling per minute will not help" + viaNote(rl)
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Message: msg, Evidence: rl.Message,
				Fix: `Wait for the daily reset or raise the quota (a paid tier, another project's key, or another model
in the config list), and do not retry until then. While developing, cache replies so reruns are free:

# AutoGen 0.2 / AG2
llm_config = {"config_list": config_list, "cache_seed": 42}

# AutoGen 0.4+
from autogen_ext.models.cache import ChatCompletionCache
from autogen_ext.cache_store.diskcache import DiskCacheStore
import diskcache
cached_client = ChatCompletionCache(model_client, DiskCacheStore(diskcache.Cache(".cache")))`})
		}
	}
}

var ruleLogGateway = &Rule{
	ID:       "RLD5106",
	Title:    "The 429 comes from the gateway, not from the model provider",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "gateway-rate-limits",
	Kinds:    []Kind{KindLog},
	Doc: `Finds rate limits that a gateway enforces itself: LiteLLM's "Max parallel request limit reached",
"LiteLLM Rate Limit Handler ... Crossed TPM, RPM Limit", the router's "No deployments available for
selected model, Try again in N seconds" (all deployments cooling down), budget limits; and a 429 that
names Helicone with no provider body (matched loosely: Helicone's wording was not verified).

**Why it matters.** The limit is in your gateway's configuration (a virtual key's rpm/tpm or parallel
limit, a router cooldown), so raising the provider tier changes nothing. A provider's own 429 that only
passed through the gateway is reported by the other rules with "passed through" in the message.

**Fix.** Raise or remove the gateway limit for the key the agents use, or lower the agents' concurrency.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5106]`" + `.`,
	Run: checkLogGateway,
}

func checkLogGateway(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			if rl.Kind != logscan.KindGateway {
				continue
			}
			lower := strings.ToLower(rl.Message)
			var msg, fix string
			switch {
			case rl.Provider == logscan.ProviderHelicone:
				msg = "the 429 comes from Helicone's own rate-limit policy, not from the model provider"
				fix = `Loosen or remove the Helicone rate-limit policy header the client sends, e.g.
default_headers={"Helicone-RateLimit-Policy": "1000;w=60"}  # 1000 requests per 60 s window
(or drop the header), and keep the agents' call rate under it.`
			case strings.Contains(lower, "no deployments available"):
				msg = "LiteLLM's router has no deployment left for this model (all cooling down after failures)"
				fix = `The router puts a deployment in cooldown after failures; add deployments to the model group or
relax the cooldown in the LiteLLM config:

router_settings:
  allowed_fails: 3
  cooldown_time: 30`
			case strings.Contains(lower, "budget"):
				msg = "LiteLLM's budget for this key or team is spent"
				fix = "Raise the key's or team's max_budget in LiteLLM (or wait for its budget_duration to reset)."
			default:
				msg = "the 429 comes from LiteLLM's own limit for this key (rpm/tpm or parallel requests), not from the provider"
				fix = `Raise the virtual key's limits in LiteLLM (POST /key/update with "rpm_limit", "tpm_limit" or
"max_parallel_requests"), or run fewer agents at once against this key.`
			}
			if rl.Limit > 0 {
				msg += fmt.Sprintf(" (limit %d)", rl.Limit)
			}
			if rl.RetryAfter > 0 {
				msg += "; retry after " + fmtWait(rl.RetryAfter)
			}
			msg += fmt.Sprintf("; hit %s", times(rl.Count))
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Message: msg, Evidence: rl.Message, Fix: fix})
		}
	}
}

var ruleLogOverloaded = &Rule{
	ID:       "RLD5107",
	Title:    "An overloaded provider (Anthropic 529, Azure peak load) is not your rate limit",
	Cause:    CauseLowQuota,
	Severity: SeverityInfo,
	Article:  "decode-429-message",
	Kinds:    []Kind{KindLog},
	Doc: `Finds Anthropic's 529 ` + "`overloaded_error`" + ` ("Overloaded"; ` + "`anthropic.OverloadedError`" + `, or
` + "`InternalServerError`" + ` in older SDKs).

Also Azure OpenAI's 429 "The system is currently experiencing high demand ... during peak load".

**Why it matters.** It means the service is busy for everyone, not that your key sent too much:
lowering your call rate or upgrading the tier does not prevent it. The SDK retries it with backoff.

**Fix.** Retry later with backoff, or fail over to another model in the config list.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5107]`" + `.`,
	Run: checkLogOverloaded,
}

func checkLogOverloaded(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			if rl.Kind != logscan.KindOverloaded {
				continue
			}
			msg := fmt.Sprintf("Anthropic answered 529 overloaded (%s): the service is busy, not your rate limit; throttling or a higher tier will not prevent it", times(rl.Count))
			if rl.Provider == logscan.ProviderAzure {
				msg = fmt.Sprintf("Azure OpenAI answered 429 for high demand at peak load (%s): the region's shared capacity is short, not your deployment's quota; raising the quota will not prevent it (Provisioned Throughput or another region would)", times(rl.Count))
			}
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine,
				Message:  msg,
				Evidence: rl.Message,
				Fix: `Let the SDK retry with backoff (anthropic's max_retries, default 2), retry the run later, or fail over
to another model:

config_list = [
    {"model": "claude-sonnet-4-5", "api_type": "anthropic", "api_key": os.environ["ANTHROPIC_API_KEY"]},
    {"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]},  # tried when the first fails
]`})
		}
	}
}

var ruleLogGeminiExhausted = &Rule{
	ID:       "RLD5108",
	Title:    "Gemini's ResourceExhausted names no limit: check the project's quota",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "quota-and-tiers",
	Kinds:    []Kind{KindLog},
	Doc: `Finds Google's bare 429 from the google-generativeai / google-api-core SDK (used by AutoGen 0.2's
` + "`api_type: \"google\"`" + `): ` + "`google.api_core.exceptions.ResourceExhausted: 429 Resource has been exhausted (e.g.\ncheck quota).`" + `,
and RESOURCE_EXHAUSTED bodies that carry no quota id, when the call failed on it (an exception line, or a
tenacity/backoff retry) or it came back.

**Why it matters.** The message says neither which quota nor its size. With a Gemini key it is almost
always the project's per-model quota: the free tier allows only a few requests per minute and per day
(and an input-token budget per minute), which an agent chat spends in its first turns. Bodies that do
name a ` + "`quotaId`" + ` are read by RLD5102, RLD5103 and RLD5105.

**Fix.** Look the limit up for the key's project and model (Google AI Studio → the key's project →
rate limits, or Google Cloud console → Quotas for "Generative Language API"); enable billing to leave
the free tier; space the calls to the per-minute limit; and stop once a per-day quota is spent.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5108]`" + `.`,
	Run: checkLogGeminiExhausted,
}

func checkLogGeminiExhausted(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			if rl.Provider != logscan.ProviderGemini || rl.Kind != logscan.KindUnknown || rl.QuotaID != "" {
				continue
			}
			if !rl.Raised && rl.Count < 2 {
				continue // logged once on the way to a retry: no sign that it mattered
			}
			msg := fmt.Sprintf("Gemini answered 429 ResourceExhausted (%s) without saying which quota: with a Gemini key this is the project's per-model quota, small on the free tier", times(rl.Count))
			if n := sdkRetriesIn(src.Log, rl.Line); n > 0 {
				msg += fmt.Sprintf("; retried %s", times(n))
			}
			msg += "; check the requests-per-minute, tokens-per-minute and requests-per-day limits of the key's project" + viaNote(rl)
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Message: msg, Evidence: rl.Message,
				Fix: `1. Check the quota of the key's project and model: Google AI Studio → API keys → the key's
   project → rate limits (or Google Cloud console → IAM & Admin → Quotas → "Generative Language API").
2. A per-day quota that is spent only resets the next day: stop retrying until then.
3. A per-minute quota: space the calls to it, and enable billing on the project to leave the free tier.

# The example below assumes 10 requests per minute: use your model's figure.
` + fixThrottle(src.Log.Generation, 10)})
		}
	}
}

var ruleLogUnsizedLimit = &Rule{
	ID:       "RLD5109",
	Title:    "Anthropic's per-minute limit was hit; the message does not say its size",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "quota-and-tiers",
	Kinds:    []Kind{KindLog},
	Doc: `Finds Anthropic's older 429 wording that names the window but not the size: "Number of request tokens has
exceeded your per-minute rate limit", "Number of output tokens ...", "Number of requests ...", when the call
failed on it or it came back.

**Why it matters.** The organisation's tier sets per-minute limits on requests, input tokens and output
tokens; on the lower tiers an agent team that resends its history fills them in a few turns. The size is in
the response headers (` + "`anthropic-ratelimit-input-tokens-limit`" + `, ` + "`anthropic-ratelimit-requests-limit`" + `, ...) and in the
console, not in this message. Messages that state the size are read by RLD5102 and RLD5103.

**Fix.** Look the limits up (console → Settings → Limits, or the headers), send fewer tokens per call (a
shorter history, a lower max_tokens) and space the calls; a higher tier raises the limits.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5109]`" + `.`,
	Run: checkLogUnsizedLimit,
}

func checkLogUnsizedLimit(p *Pass) {
	for _, src := range logSources(p) {
		for _, rl := range src.Log.RateLimits {
			if rl.Provider != logscan.ProviderAnthropic || rl.Limit > 0 || (rl.Kind != logscan.KindTPM && rl.Kind != logscan.KindRPM) {
				continue
			}
			if !rl.Raised && rl.Count < 2 {
				continue // logged once on the way to a retry that may have worked
			}
			what := "tokens-per-minute"
			header := "anthropic-ratelimit-input-tokens-limit (and -output-tokens-limit)"
			if rl.Kind == logscan.KindRPM {
				what, header = "requests-per-minute", "anthropic-ratelimit-requests-limit"
			}
			msg := fmt.Sprintf("Anthropic's %s limit was hit (%s); the message does not say its size: read it from the %s header or the console's Limits page",
				what, times(rl.Count), header) + viaNote(rl)
			fix := fixShrinkContext(src.Log.Generation)
			if rl.Kind == logscan.KindRPM {
				fix = "# 50 below is an example: use the limit the headers show\n" + fixThrottle(src.Log.Generation, 50)
			}
			p.Report(Diag{Source: src, Line: rl.Line, EndLine: rl.EndLine, Message: msg, Evidence: rl.Message,
				Fix: `Check the organisation's limits (console.anthropic.com → Settings → Limits) and stay under them:

` + fix})
		}
	}
}
