package diagnose

import (
	"fmt"
	"strings"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/budget"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
)

// logRules are the rules that read log facts (tracebacks, openai/httpx lines,
// console transcripts). Their IDs are RLDx1yy, x the cause family: 1 loop,
// 2 shared key (bursts), 3 stacked retries, 4 noisy tools, 5 low quota,
// 7 group-chat speaker selection.
var logRules = []*Rule{
	ruleLogRepeatedMessage,
	ruleLogPingPong,
	ruleLogBurst,
	ruleLogStackedRetries,
	ruleLogRaisedRetries,
	ruleLogNoBackoff,
	ruleLogHugeToolResult,
	ruleLogToolCycle,
	ruleLogInsufficientQuota,
	ruleLogSmallRPM,
	ruleLogSmallTPM,
	ruleLogAzureQuota,
	ruleLogDailyQuota,
	ruleLogGateway,
	ruleLogOverloaded,
	ruleLogGeminiExhausted,
	ruleLogUnsizedLimit,
	ruleLogSpeakerSelection,
	ruleLogContextGrowth,
}

// logSources are the inputs read as logs.
func logSources(p *Pass) []*Source {
	var out []*Source
	for _, s := range p.Sources {
		if s.Log != nil {
			out = append(out, s)
		}
	}
	return out
}

// fmtWait prints a retry-after the way people say it: "20s", "9m38s", "24h".
func fmtWait(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return strings.TrimSuffix(d.Round(10*time.Millisecond).String(), ".00s")
	default:
		s := d.Round(time.Second).String()
		s = strings.TrimSuffix(s, "0s")
		return strings.TrimSuffix(s, "0m")
	}
}

// fmtInt prints 20000 as "20,000".
func fmtInt(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// providerName is how a message names the provider.
func providerName(p logscan.Provider) string {
	switch p {
	case logscan.ProviderOpenAI:
		return "OpenAI"
	case logscan.ProviderAzure:
		return "Azure OpenAI"
	case logscan.ProviderAnthropic:
		return "Anthropic"
	case logscan.ProviderGemini:
		return "Gemini"
	case logscan.ProviderGroq:
		return "Groq"
	case logscan.ProviderLiteLLM:
		return "LiteLLM"
	case logscan.ProviderHelicone:
		return "Helicone"
	case logscan.ProviderMoonshot:
		return "Moonshot (Kimi)"
	}
	return "the provider"
}

// rlProviderName names the provider of one 429, using what the message says
// when the provider is not one of the named ones.
func rlProviderName(rl logscan.RateLimit) string {
	if rl.Provider == logscan.ProviderOther && strings.HasPrefix(rl.Tier, "OpenRouter") {
		return "OpenRouter"
	}
	return providerName(rl.Provider)
}

// viaNote says that a provider's own 429 came through a gateway.
func viaNote(rl logscan.RateLimit) string {
	switch rl.Via {
	case "litellm":
		return " (passed through LiteLLM: this is the provider's own limit, not the gateway's)"
	case "helicone":
		return " (passed through Helicone: this is the provider's own limit, not the gateway's)"
	}
	return ""
}

// sdkRetriesIn counts the SDK retries in the chains that overlap a line span,
// to say that a hopeless error was retried in vain.
func sdkRetriesIn(f *logscan.Facts, line int) int {
	n := 0
	for _, r := range f.Requests {
		if r.Line <= line && line <= r.EndLine+12 {
			n += r.SDKRetries
		}
	}
	return n
}

// times says "once" or "N times".
func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// Fix snippets shared by several rules. They name only documented parameters
// (see the shared reference): openai's max_retries, 0.2's api_rate_limit (requests
// per second, per config_list entry), 0.4's termination conditions.

func fixTermination(gen string) string {
	fix02 := `# AutoGen 0.2 / AG2: stop on the word anywhere, and cap the replies
user_proxy = UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=5,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
)
user_proxy.initiate_chat(assistant, message=task, max_turns=10)`
	fix04 := `# AutoGen 0.4+: a team always needs a stop condition and a cap
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination

termination = TextMentionTermination("TERMINATE") | MaxMessageTermination(20)
team = RoundRobinGroupChat([writer, critic], termination_condition=termination, max_turns=20)`
	switch gen {
	case "0.2":
		return fix02
	case "0.4":
		return fix04
	}
	return fix02 + "\n\n" + fix04
}

// fixThrottle spaces calls to a requests-per-minute limit, with the same
// snippets the budget page writes (budget.Throttle: 80% of the limit, the
// 0.2 api_rate_limit entry in requests per second, the 0.4 limiter around
// the model client).
func fixThrottle(gen string, rpm int64) string {
	snips := budget.Throttle(budget.ThrottleInput{Limits: budget.Limits{RPM: int(maxInt64(rpm, 60))}})
	fix02 := "# " + snips[0].Title + "\n" + strings.TrimRight(snips[0].Code, "\n")
	fix04 := "# " + snips[1].Title + "\n" + strings.TrimRight(snips[1].Code, "\n")
	switch gen {
	case "0.2":
		return fix02
	case "0.4":
		return fix04
	}
	return fix02 + "\n\n" + fix04
}

func maxInt64(v, dflt int64) int64 {
	if v > 0 {
		return v
	}
	return dflt
}

const fixOneRetryLayer = `# One retry layer only: switch the client's retries off and retry the call
# with exponential backoff and jitter.
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential
import openai

# AutoGen 0.2: in every config_list entry
config_list = [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"], "max_retries": 0}]
# AutoGen 0.4: OpenAIChatCompletionClient(model="gpt-4o", max_retries=0)

@retry(retry=retry_if_exception_type(openai.RateLimitError),
       wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(5))
def run_chat():
    return user_proxy.initiate_chat(assistant, message=task)`
