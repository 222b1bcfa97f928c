package diagnose

import (
	"fmt"
	"strings"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
)

const (
	logBurstFirstMinute = 30 // requests in the first minute of a run
	logSDKDefaultRetry  = 2  // openai/anthropic max_retries default
)

var ruleLogBurst = &Rule{
	ID:       "RLD2101",
	Title:    "Requests arrive in a burst",
	Cause:    CauseSharedKey,
	Severity: SeverityWarning,
	Article:  "client-side-throttling",
	Kinds:    []Kind{KindLog},
	Doc: `Builds a per-minute timeline of model requests from timestamped log lines (httpx ` + "`HTTP Request: POST ...`" + `,
openai DEBUG responses, 0.4 LLMCall events) and flags a run whose first minute has 30 requests or more, or a
minute with more requests than the requests-per-minute limit that a 429 in the same log states.

**Why it matters.** Limits are counted per key (or deployment) per minute. Agents or parallel runs that start
together spend a minute's budget in seconds; the 429s that follow are the burst, not a small quota.

**Fix.** Space the calls on the client side (a throttle, a semaphore around parallel runs) so the key
never sees more than its limit per minute.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD2101]`" + `.`,
	Run: checkLogBurst,
}

func checkLogBurst(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		if len(f.Timeline) == 0 {
			continue // no timestamps: no timeline to read
		}
		if f.HTTP429 == 0 && f.RateLimitsN == 0 {
			continue // many calls that all succeeded are a busy run, not a problem
		}
		var rpm int64
		rpmLine := 0
		for _, rl := range f.RateLimits {
			// Moonshot's "max request: N" is not stated per minute: no minute to compare.
			if rl.Kind == logscan.KindRPM && rl.Limit > 0 && rl.Provider != logscan.ProviderMoonshot && (rpm == 0 || rl.Limit < rpm) {
				rpm, rpmLine = rl.Limit, rl.Line
			}
		}
		first := f.Timeline[0]
		var msg string
		var m logscan.Minute
		switch {
		case first.Requests >= logBurstFirstMinute:
			m = first
			msg = fmt.Sprintf("%d model requests in the first minute of the run (from %s)", m.Requests, m.Start.Format("15:04"))
		case rpm > 0:
			for _, x := range f.Timeline {
				if int64(x.Requests) > rpm && x.Requests > m.Requests {
					m = x
				}
			}
			if m.Requests == 0 {
				continue
			}
			msg = fmt.Sprintf("%d model requests in the minute from %s, over the limit of %d per minute stated at line %d",
				m.Requests, m.Start.Format("15:04"), rpm, rpmLine)
		default:
			continue
		}
		if m.RateLimited > 0 {
			msg += fmt.Sprintf("; %d of them got 429", m.RateLimited)
		}
		msg += " (retries included): the calls go out together instead of spread over the minute"
		limit := rpm
		if limit == 0 {
			limit = 20
		}
		p.Report(Diag{Source: src, Line: m.Line, Message: msg,
			Evidence: fmt.Sprintf("%s  %d requests, %d rate-limited", m.Start.Format("2006-01-02 15:04"), m.Requests, m.RateLimited),
			Fix: fixThrottle(f.Generation, limit) + `

# Parallel runs on one key: let only a few run at once
sem = asyncio.Semaphore(2)
async def run_one(task):
    async with sem:
        return await team.run(task=task)`})
	}
}

var ruleLogStackedRetries = &Rule{
	ID:       "RLD3101",
	Title:    "Retry layers multiply the calls for one request",
	Cause:    CauseDoubleRetry,
	Severity: SeverityWarning,
	Article:  "stacked-retries",
	Kinds:    []Kind{KindLog},
	Doc: `Groups retry lines into logical requests and flags a request retried by two layers: an app-level
retry (tenacity's "Retrying f in N seconds as it raised RateLimitError", backoff's "Backing off f(...) for Ns",
a hand-written "retrying in N seconds", or an app's attempt counter such as "attempt 2/5" or "Attempt 3
failed") around a call that the openai/anthropic client itself already
retried ("Retrying request to /chat/completions in 0.9 seconds").

**Why it matters.** The layers multiply: 3 app attempts × 3 client attempts are 9 HTTP requests for one
call, all against a limit that is already full, and the outer waits reset the inner backoff.

**Fix.** Keep one retry layer: ` + "`max_retries=0`" + ` on the client and one tenacity decorator with
exponential backoff and jitter (or the client's retries alone).

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD3101]`" + `.`,
	Run: checkLogStackedRetries,
}

func checkLogStackedRetries(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		var worst *logscan.Request
		n := 0
		for i := range f.Requests {
			r := &f.Requests[i]
			if r.SDKRetries == 0 || r.AppRetries == 0 || !hasAppLayer(r.Layers) {
				continue
			}
			n++
			if worst == nil || r.SDKRetries+r.AppRetries > worst.SDKRetries+worst.AppRetries {
				worst = r
			}
		}
		if worst == nil {
			continue
		}
		attempts := worst.Attempts
		if attempts < worst.SDKRetries+worst.AppRetries+1 {
			attempts = worst.SDKRetries + worst.AppRetries + 1
		}
		msg := fmt.Sprintf("one call was retried by %s: %d app-level retries on top of %d client retries, about %d HTTP requests (lines %d-%d)",
			strings.Join(worst.Layers, " + "), worst.AppRetries, worst.SDKRetries, attempts, worst.Line, worst.EndLine)
		if n > 1 {
			msg += fmt.Sprintf("; %d requests in this log were retried this way", n)
		}
		p.Report(Diag{Source: src, Line: worst.Line, EndLine: worst.EndLine, Message: msg,
			Evidence: retryEvidence(f, worst.Line, worst.EndLine), Fix: fixOneRetryLayer})
	}
}

func hasAppLayer(layers []string) bool {
	sdk, app := false, false
	for _, l := range layers {
		switch l {
		case "sdk":
			sdk = true
		case "tenacity", "backoff", "app":
			app = true
		}
	}
	return sdk && app
}

// retryEvidence lists the retry lines of a span (at most 6).
func retryEvidence(f *logscan.Facts, from, to int) string {
	var lines []string
	for _, r := range f.Retries {
		if r.Line < from || r.Line > to {
			continue
		}
		if len(lines) == 6 {
			lines = append(lines, "...")
			break
		}
		lines = append(lines, fmt.Sprintf("%d: %s", r.Line, r.Text))
	}
	return strings.Join(lines, "\n")
}

var ruleLogRaisedRetries = &Rule{
	ID:       "RLD3102",
	Title:    "One request is retried more often than the client's default",
	Cause:    CauseDoubleRetry,
	Severity: SeverityWarning,
	Article:  "stacked-retries",
	Kinds:    []Kind{KindLog},
	Doc: `Flags a request that the openai/anthropic client retried more than twice in a row (their default
` + "`max_retries`" + ` is 2), read from a chain of "Retrying request to ..." lines whose delays keep growing (one
request, not several in parallel), or from a DEBUG "N retries left" with N of 3 or more.

**Why it matters.** A raised ` + "`max_retries`" + ` hides the 429 and keeps sending requests into a full
minute; with several agents each doing it, the retries themselves keep the key over its limit.

**Fix.** Keep the client's retries at the default or lower and space the calls instead.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD3102]`" + `.`,
	Run: checkLogRaisedRetries,
}

func checkLogRaisedRetries(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		var worst *logscan.Request
		for i := range f.Requests {
			r := &f.Requests[i]
			// Parallel requests interleave their retry lines, so a long run of
			// lines proves nothing; three delays that each grow by half or more
			// up to 1.4 s and beyond are one request's backoff past its 2nd retry.
			if expRun(r.Delays) <= logSDKDefaultRetry && r.MaxLeft <= logSDKDefaultRetry {
				continue
			}
			if worst == nil || expRun(r.Delays) > expRun(worst.Delays) {
				worst = r
			}
		}
		if worst == nil {
			continue
		}
		n := expRun(worst.Delays)
		msg := fmt.Sprintf("the client retried one request %d times in a row (lines %d-%d; the default max_retries is 2)", n, worst.Line, worst.EndLine)
		if worst.MaxLeft > logSDKDefaultRetry {
			msg = fmt.Sprintf("the client logs %d retries left for one request (lines %d-%d; the default max_retries is 2)", worst.MaxLeft, worst.Line, worst.EndLine)
		}
		msg += ": a raised max_retries keeps sending requests into a limit that is already full"
		p.Report(Diag{Source: src, Line: worst.Line, EndLine: worst.EndLine, Message: msg,
			Evidence: retryEvidence(f, worst.Line, worst.EndLine),
			Fix: `# AutoGen 0.2: in the config_list entry (passed to the openai client)
{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"], "max_retries": 2}
# AutoGen 0.4+
model_client = OpenAIChatCompletionClient(model="gpt-4o", max_retries=2)
# and space the calls to the limit instead of retrying harder (see client-side throttling)`})
	}
}

// expRun is the length of the longest run of retry delays that each grow by
// at least half over the previous one, when the run reaches 1.4 s (the
// openai/anthropic backoff is 0.5 s × 2^n with up to 25% jitter, so a default
// client never gets there on its own); 0 otherwise.
func expRun(ds []time.Duration) int {
	best, run := 0, 0
	for i := range ds {
		if i > 0 && ds[i]*2 >= ds[i-1]*3 {
			run++
		} else {
			run = 1
		}
		if ds[i] >= 1400*time.Millisecond && run > best {
			best = run
		}
	}
	return best
}

var ruleLogNoBackoff = &Rule{
	ID:       "RLD3103",
	Title:    "Retries wait the same short time again and again",
	Cause:    CauseDoubleRetry,
	Severity: SeverityWarning,
	Article:  "stacked-retries",
	Kinds:    []Kind{KindLog},
	Doc: `Reads app-level retry lines (tenacity, backoff, or "retrying in N seconds" printed by the app) and flags
three or more retries in a row that wait the same time of ten seconds or less: a fixed wait, no backoff.

**Why it matters.** A per-minute limit needs the client to slow down. Retrying every few seconds keeps
the key at its limit, and parallel agents retrying in step hit it together again.

**Not flagged.** The openai/anthropic clients' own retries (they back off exponentially and honour
retry-after), and waits that grow.

**Fix.** Exponential backoff with jitter, and a cap on attempts.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD3103]`" + `.`,
	Run: checkLogNoBackoff,
}

func checkLogNoBackoff(p *Pass) {
	for _, src := range logSources(p) {
		f := src.Log
		var run []logscan.Retry
		best := []logscan.Retry(nil)
		flush := func() {
			if len(run) >= 3 && len(run) > len(best) {
				best = append([]logscan.Retry(nil), run...)
			}
			run = run[:0]
		}
		for _, r := range f.Retries {
			if r.Layer != "tenacity" && r.Layer != "app" && r.Layer != "backoff" {
				continue
			}
			if r.Delay < 0 { // an attempt counter: it says nothing about the wait
				flush()
				continue
			}
			if len(run) > 0 && (r.Layer != run[0].Layer || !sameDelay(r.Delay, run[0].Delay)) {
				flush()
			}
			if r.Delay > 10*time.Second {
				flush()
				continue
			}
			run = append(run, r)
		}
		flush()
		if best == nil {
			continue
		}
		first, last := best[0], best[len(best)-1]
		grows := false
		for _, r := range f.Retries {
			if r.Layer == first.Layer && r.Delay > first.Delay && !sameDelay(r.Delay, first.Delay) {
				grows = true // the layer does back off elsewhere: parallel first attempts, not a fixed wait
			}
		}
		if grows {
			continue
		}
		p.Report(Diag{Source: src, Line: first.Line, EndLine: last.Line,
			Message: fmt.Sprintf("%d retries in a row (%s) all wait %s: no backoff, so the retries arrive while the limit is still full",
				len(best), first.Layer, fmtWait(first.Delay)),
			Evidence: retryEvidence(f, first.Line, last.Line),
			Fix: `from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential
import openai

@retry(retry=retry_if_exception_type(openai.RateLimitError),
       wait=wait_random_exponential(min=1, max=60),  # grows 1s, 2s, 4s ... with jitter
       stop=stop_after_attempt(6))
def run_chat():
    return user_proxy.initiate_chat(assistant, message=task)`})
	}
}

func sameDelay(a, b time.Duration) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= b/20+time.Millisecond
}
