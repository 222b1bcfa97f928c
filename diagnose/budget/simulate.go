package budget

import (
	"fmt"
	"math"
	"time"
)

// Limits are a provider tier's limits. Zero means "not limiting".
type Limits struct {
	RPM, TPM, RPD int
	// Source says where they come from: "your 429 message", "OpenAI Tier 1 (unverified)".
	Source string
}

// Load describes how a setup is run and how big its messages are. Zero
// values take the defaults below, which are stated on every result.
type Load struct {
	// Concurrent is how many runs (or agents with their own chats) go at once on one key.
	Concurrent int
	// Latency is the time one model call takes; it sets how fast a sequential chat can go.
	Latency time.Duration
	// PromptTokens is the first call's prompt (system message + task).
	PromptTokens int
	// MessageTokens is what each call adds to the history the next call sends.
	MessageTokens int
	// CompletionTokens is one reply's length.
	CompletionTokens int
	// ContextTokens is the model's context window: no call sends more than
	// this (a longer history fails with a context-length error, not a 429).
	ContextTokens int
}

// Defaults used when a Load field is zero: a few seconds per call, a short
// task and replies of a few paragraphs.
const (
	DefaultLatency          = 4 * time.Second
	DefaultPromptTokens     = 600
	DefaultMessageTokens    = 350
	DefaultCompletionTokens = 300
	DefaultContextTokens    = 128000
)

func (l Load) norm() Load {
	if l.Concurrent < 1 {
		l.Concurrent = 1
	}
	if l.Latency <= 0 {
		l.Latency = DefaultLatency
	}
	if l.PromptTokens <= 0 {
		l.PromptTokens = DefaultPromptTokens
	}
	if l.MessageTokens <= 0 {
		l.MessageTokens = DefaultMessageTokens
	}
	if l.CompletionTokens <= 0 {
		l.CompletionTokens = DefaultCompletionTokens
	}
	if l.ContextTokens <= 0 {
		l.ContextTokens = DefaultContextTokens
	}
	return l
}

// callTokens is the tokens of call i (1-based): the prompt grows by one
// message per call until it fills the context window, plus the reply.
func (l Load) callTokens(i int) int {
	return min(l.PromptTokens+(i-1)*l.MessageTokens, l.ContextTokens) + l.CompletionTokens
}

// Forecast compares a chat's calls with a tier's limits.
type Forecast struct {
	Count Count
	Load  Load
	// PeakRPM and PeakTPM are the busiest 60-second window of the worst case
	// (capped at 24 hours of calls when the chat is unbounded).
	PeakRPM int
	PeakTPM int
	// RPMExceededAt / TPMExceededAt are the 1-based call numbers at which the
	// busiest window first passes the limit; 0 when it never does.
	RPMExceededAt int
	TPMExceededAt int
	// RPDRuns is how many full worst-case runs fit the daily request limit (0: no daily limit).
	RPDRuns int
	// Summary is one sentence for the person ("at this setting you pass 3 RPM at call 4").
	Summary string
	// Keep is the setting that keeps the run under the limits, when one exists.
	Keep []string
}

// maxSimCalls bounds the simulation of an unbounded chat (a day of calls).
const maxSimCalls = 24 * 60 * 60

// Simulate runs the worst case of one chat against the limits. Calls are
// assumed back to back, Latency apart, with Concurrent copies of the chat
// running in step on the same key; call i sends PromptTokens + (i-1) ×
// MessageTokens and gets CompletionTokens back, which is how the history of
// an AutoGen chat grows (every call resends the whole conversation).
func Simulate(c Chat, lim Limits, load Load) Forecast {
	load = load.norm()
	cnt := Calls(c)
	f := Forecast{Count: cnt, Load: load}
	total := cnt.Worst
	if cnt.Unbounded || total > maxSimCalls {
		total = maxSimCalls
	}
	// Calls that fit in one 60-second window of one sequential chat.
	window := int(math.Floor(float64(time.Minute)/float64(load.Latency))) + 1
	perWindow := min(window, total)
	conc := load.Concurrent
	f.PeakRPM = perWindow * conc

	tokens := func(i int) int { return load.callTokens(i) }
	// Slide the window over the calls; the busiest window is the last full one
	// because calls only grow, but track the crossing call for TPM too.
	sum := 0
	for i := 1; i <= total; i++ {
		sum += tokens(i)
		if i > window {
			sum -= tokens(i - window)
		}
		w := sum * conc
		if w > f.PeakTPM {
			f.PeakTPM = w
		}
		if lim.TPM > 0 && f.TPMExceededAt == 0 && w > lim.TPM {
			f.TPMExceededAt = i
		}
		if lim.RPM > 0 && f.RPMExceededAt == 0 && min(i, window)*conc > lim.RPM {
			f.RPMExceededAt = i
		}
	}
	if lim.RPD > 0 && total > 0 {
		f.RPDRuns = lim.RPD / (total * conc)
	}
	f.Summary, f.Keep = explain(c, cnt, lim, load, f, window)
	return f
}

func explain(c Chat, cnt Count, lim Limits, load Load, f Forecast, window int) (string, []string) {
	var keep []string
	src := lim.Source
	if src == "" {
		src = "the limit"
	}
	first := 0
	what := ""
	if f.RPMExceededAt > 0 {
		first, what = f.RPMExceededAt, fmt.Sprintf("%d requests per minute", lim.RPM)
	}
	if f.TPMExceededAt > 0 && (first == 0 || f.TPMExceededAt < first) {
		first, what = f.TPMExceededAt, fmt.Sprintf("%d tokens per minute", lim.TPM)
	}
	if first == 0 {
		s := fmt.Sprintf("Worst case %s calls per run, peak %d requests and %d tokens per minute: under %s.",
			worstText(cnt), f.PeakRPM, f.PeakTPM, src)
		if lim.RPD > 0 && f.RPDRuns < 5 {
			s += fmt.Sprintf(" But the daily limit of %d requests allows only %d such runs a day.", lim.RPD, f.RPDRuns)
		}
		return s, nil
	}
	s := fmt.Sprintf("At this setting you pass %s (%s) at call %d of a run", what, src, first)
	if load.Concurrent > 1 {
		s += fmt.Sprintf(", with %d runs at once on one key", load.Concurrent)
	}
	s += "."
	// The settings that keep the run under: a call cap that fits, and throttling.
	if lim.RPM > 0 && f.RPMExceededAt > 0 {
		perRun := lim.RPM / load.Concurrent
		if perRun >= 1 && perRun < window {
			keep = append(keep, capAdvice(c, perRun))
		}
		rate := float64(lim.RPM) * 0.8 / 60 / float64(load.Concurrent)
		keep = append(keep, fmt.Sprintf("throttle each client to %.3g requests per second (80%% of %d RPM shared by %d): api_rate_limit=%.3g in its config_list entry (0.2), or a limiter around the model client (0.4)",
			rate, lim.RPM, load.Concurrent, rate))
		if load.Concurrent > 1 {
			if at := lim.RPM / window; at >= 2 {
				keep = append(keep, fmt.Sprintf("or run at most %d chats at once (asyncio.Semaphore(%d))", at, at))
			} else {
				keep = append(keep, "or run the chats one at a time (asyncio.Semaphore(1)), not all at once")
			}
		}
	}
	if lim.TPM > 0 && f.TPMExceededAt > 0 {
		n := callsUnderTPM(lim.TPM, load, window)
		if n >= 1 {
			keep = append(keep, capAdvice(c, n)+fmt.Sprintf(" (history stays under %d tokens per minute)", lim.TPM))
		} else {
			keep = append(keep, fmt.Sprintf("one call alone is over %d tokens per minute: shorten the prompt or tool outputs", lim.TPM))
		}
		keep = append(keep, "limit the history each call sends (see /articles/context-growth)")
	}
	return s, keep
}

// callsUnderTPM is the largest number of calls whose busiest window stays
// under tpm (0 when even the first call is over).
func callsUnderTPM(tpm int, load Load, window int) int {
	sum, n := 0, 0
	for i := 1; i <= maxSimCalls; i++ {
		sum += load.callTokens(i)
		if i > window {
			sum -= load.callTokens(i - window)
		}
		if sum*load.Concurrent > tpm {
			return n
		}
		n = i
	}
	return n
}

// capAdvice turns "at most n calls" into the setting for the chat's pattern.
func capAdvice(c Chat, n int) string {
	switch c.Pattern {
	case TwoAgent:
		return fmt.Sprintf("cap the chat at %s: max_turns=%d in initiate_chat (or max_consecutive_auto_reply=%d on the agent that starts it)", plural(n, "call"), n, max(n-1, 0))
	case GroupChat0:
		per := 1
		if c.SpeakerSelection == "" || c.SpeakerSelection == "auto" {
			per = 2
		}
		return fmt.Sprintf(`cap the group chat: max_round=%d (about %d calls per round)`, max(n/per+1, 2), per)
	case RoundRobin, Selector, SingleAgent:
		return fmt.Sprintf("cap the team: max_turns=%d (or MaxMessageTermination(%d))", n, n+1)
	case MagenticOne:
		return fmt.Sprintf("cap the team: max_turns=%d", max((n-3)/2, 1))
	}
	return fmt.Sprintf("keep each run to %s at most", plural(n, "call"))
}

func worstText(c Count) string {
	if c.Unbounded {
		return "unbounded"
	}
	return fmt.Sprint(c.Worst)
}

// plural writes "1 call", "3 calls".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
