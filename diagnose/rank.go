package diagnose

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Ranking model. Each finding is a piece of evidence for its cause with a
// weight: its severity (error 0.55, warning 0.35, info 0.12) times how much
// its input proves (a log or runtime record shows what happened: 1.0; code
// and config show what could happen: 0.8). A cause's evidence score combines
// its findings as independent signals, 1 - Π(1 - w). A cause seen in both a
// record of the run (log/runtime) and the code or config gains +0.15: two
// kinds of input agreeing is the strongest sign. Wizard symptoms add a
// prior (symptomWeights), combined the same way but capped at 0.45 so
// answers alone never outrank real evidence. A hard-coded key is a security
// problem rather than a cause of 429s, so its weight is halved. Several
// findings of one rule count as one signal plus 0.03 per repeat. When a log
// or runtime record shows a rate limit was hit (not spent credit or a daily
// cap), every other cause with evidence gains explainBoost (+0.2), and
// kindBoost (+0.1) more when it explains that kind of limit: the limit is
// what happened, the code is why.
var severityWeight = map[Severity]float64{SeverityError: 0.55, SeverityWarning: 0.35, SeverityInfo: 0.12}

// symptomWeights: wizard answer -> prior weight per cause.
var symptomWeights = map[string]map[Cause]float64{
	"first-call":         {CauseLowQuota: 0.35, CauseSharedKey: 0.15},
	"after-turns":        {CauseLoop: 0.35, CauseContextGrowth: 0.2, CauseNoisyTool: 0.1, CauseSpeakerSelection: 0.1},
	"concurrent":         {CauseSharedKey: 0.4, CauseDoubleRetry: 0.1},
	"after-retry":        {CauseDoubleRetry: 0.35, CauseLowQuota: 0.1},
	"insufficient-quota": {CauseLowQuota: 0.45},
	"long-tool-output":   {CauseNoisyTool: 0.4, CauseContextGrowth: 0.2},
}

// Symptoms lists the wizard answers the ranking understands.
func Symptoms() []string {
	out := make([]string, 0, len(symptomWeights))
	for k := range symptomWeights {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

const (
	ruleRepeat = 0.03
	// explainBoost: a cause with its own evidence that explains a rate limit
	// the run records show was hit; kindBoost when it explains that kind
	// (big tool results and growing context use tokens; loops, parallel runs,
	// selector calls and retries use requests).
	explainBoost = 0.2
	kindBoost    = 0.1
	priorCap     = 0.45
	crossBoost   = 0.15
)

type causeEvidence struct {
	miss      float64 // Π(1 - w)
	fromRun   bool
	fromCode  bool
	findings  []Finding
	rules     []string
	symptoms  []string
	priorMiss float64
	boost     float64
	explains  string // which limit the boost explains
}

// limitsSeen reports whether a log or runtime record shows a rate limit that
// was hit (not spent credit, a daily cap or an overload: those are the
// provider's side), and whether it was a token or a request limit.
func limitsSeen(findings []Finding, kindOf map[string]Kind) (seen, tokens, requests bool) {
	for _, f := range findings {
		k := findingKind(f, kindOf)
		if f.Cause != CauseLowQuota || k != KindLog && k != KindRuntimeDB {
			continue
		}
		m := strings.ToLower(f.Message + " " + f.Title)
		if strings.Contains(m, "insufficient_quota") || strings.Contains(m, "daily") || strings.Contains(m, "overload") ||
			strings.Contains(m, "credit") || strings.Contains(m, "spent") {
			continue
		}
		seen = true
		if strings.Contains(m, "token") || strings.Contains(m, "request too large") {
			tokens = true
		}
		if strings.Contains(m, "requests-per-minute") || strings.Contains(m, "requests per minute") || strings.Contains(m, "call rate") || strings.Contains(m, "rpm") {
			requests = true
		}
	}
	return seen, tokens, requests
}

func rank(findings []Finding, sources []*Source, symptoms []string) ([]RankedCause, []string) {
	kindOf := map[string]Kind{}
	for _, s := range sources {
		kindOf[s.Name] = s.Kind
	}
	ev := map[Cause]*causeEvidence{}
	get := func(c Cause) *causeEvidence {
		if ev[c] == nil {
			ev[c] = &causeEvidence{miss: 1, priorMiss: 1}
		}
		return ev[c]
	}
	// Repeats of one rule are one signal: the rule's strongest finding
	// counts fully, each further one adds a little (ruleRepeat), so five
	// noisy tools do not outrank one certain loop.
	type ruleKey struct {
		rule string
		run  bool
	}
	best := map[ruleKey]float64{}
	count := map[ruleKey]int{}
	causeOf := map[ruleKey]Cause{}
	for _, f := range findings {
		e := get(f.Cause)
		w := severityWeight[f.Severity]
		k := ruleKey{rule: f.Rule}
		switch findingKind(f, kindOf) {
		case KindLog, KindRuntimeDB:
			e.fromRun = true
			k.run = true
		default:
			w *= 0.8
			e.fromCode = true
		}
		if f.Cause == CauseSecret {
			w /= 2
		}
		best[k] = math.Max(best[k], w)
		count[k]++
		causeOf[k] = f.Cause
		e.findings = append(e.findings, f)
		if !slices.Contains(e.rules, f.Rule) {
			e.rules = append(e.rules, f.Rule)
		}
	}
	for k, w := range best {
		w = math.Min(0.95, w+ruleRepeat*float64(count[k]-1))
		get(causeOf[k]).miss *= 1 - w
	}
	// What the run records say was hit decides which code causes explain it.
	limitSeen, tokenLimit, requestLimit := limitsSeen(findings, kindOf)
	for c, e := range ev {
		if !limitSeen || c == CauseLowQuota || c == CauseSecret || c == CauseNoCache || len(e.findings) == 0 {
			continue
		}
		boost := explainBoost
		switch {
		case tokenLimit && (c == CauseNoisyTool || c == CauseContextGrowth):
			boost += kindBoost
		case requestLimit && (c == CauseLoop || c == CauseSharedKey || c == CauseSpeakerSelection || c == CauseDoubleRetry):
			boost += kindBoost
		}
		e.boost = boost
		e.explains = "rate limit"
		switch {
		case tokenLimit && boost > explainBoost:
			e.explains = "tokens-per-minute limit"
		case requestLimit && boost > explainBoost:
			e.explains = "requests-per-minute limit"
		}
	}
	for _, s := range symptoms {
		for c, w := range symptomWeights[strings.ToLower(strings.TrimSpace(s))] {
			e := get(c)
			e.priorMiss *= 1 - w
			e.symptoms = append(e.symptoms, s)
		}
	}
	var out []RankedCause
	for c, e := range ev {
		score := 1 - e.miss
		if e.fromRun && e.fromCode {
			score += crossBoost
		}
		score += e.boost
		prior := math.Min(priorCap, 1-e.priorMiss)
		score = 1 - (1-math.Min(score, 1))*(1-prior)
		score = math.Round(math.Min(score, 1)*100) / 100
		if score <= 0 {
			continue
		}
		slices.Sort(e.rules)
		out = append(out, RankedCause{Cause: c, Score: score, Article: "/articles/" + CauseArticle[c],
			Reason: reason(e, kindOf), Rules: e.rules})
	}
	slices.SortStableFunc(out, func(a, b RankedCause) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return slices.Index(Causes, a.Cause) - slices.Index(Causes, b.Cause)
	})
	return out, next(findings, sources, out)
}

// reason names the strongest evidence of a cause, one piece per input kind.
func reason(e *causeEvidence, kindOf map[string]Kind) string {
	var parts []string
	seen := map[string]bool{}
	fs := slices.Clone(e.findings)
	slices.SortStableFunc(fs, func(a, b Finding) int { return b.Severity.Rank() - a.Severity.Rank() })
	for _, f := range fs {
		label := "code"
		switch findingKind(f, kindOf) {
		case KindLog:
			label = "log"
		case KindRuntimeDB:
			label = "runtime log"
		case KindConfig:
			label = "config"
		}
		if seen[label] {
			continue
		}
		seen[label] = true
		// A long message reads badly in a one-line reason: the rule's title
		// says the same in a few words (the card below shows the message).
		msg := f.Message
		if len(msg) > 110 && f.Title != "" {
			msg = lowerFirst(f.Title)
		}
		where := ""
		if f.Line > 0 {
			where = fmt.Sprintf(" (%s line %d)", f.File, f.Line)
		}
		parts = append(parts, label+": "+msg+where)
	}
	if more := len(e.findings) - len(parts); more > 0 {
		parts = append(parts, fmt.Sprintf("%d more finding%s", more, map[bool]string{true: "", false: "s"}[more == 1]))
	}
	out := strings.Join(parts, "; ")
	if e.boost > 0 {
		out += "; this explains the " + e.explains + " the log shows"
	}
	if len(e.symptoms) > 0 {
		out += "; you said: " + strings.Join(e.symptoms, ", ")
	}
	return out
}

// lowerFirst lower-cases the first letter of a title used inside a sentence,
// unless the first word is a name, an identifier or an acronym (Azure,
// api_rate_limit, SelectorGroupChat, RPM).
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if word == "" || properNouns[word] || strings.ContainsAny(word, "_0123456789") ||
		strings.ToLower(word[:1])+word[1:] != strings.ToLower(word) {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// properNouns keep their capital inside a sentence.
var properNouns = map[string]bool{
	"Azure": true, "OpenAI": true, "Anthropic": true, "Gemini": true, "Google": true, "Groq": true,
	"AutoGen": true, "AG2": true, "LiteLLM": true, "Helicone": true, "Moonshot": true, "OpenRouter": true,
}

// next says what to paste when the evidence is thin.
func next(findings []Finding, sources []*Source, causes []RankedCause) []string {
	has := map[Kind]bool{}
	cfgFromFile := false
	for _, s := range sources {
		has[s.Kind] = true
		if s.Python != nil {
			if strings.Contains(string(s.Text), "config_list_from_json") {
				cfgFromFile = true
			}
		}
	}
	strong := len(causes) > 0 && causes[0].Score >= 0.5
	var out []string
	if !has[KindLog] && !has[KindRuntimeDB] {
		out = append(out, "Paste the full error (the traceback or console output around the 429): its text says which limit was hit — requests per minute, tokens per minute or spent quota — and the numbers.")
	}
	if !has[KindPython] && !strong {
		out = append(out, "Paste the script that builds your agents and starts the chat (initiate_chat, run or run_stream), including the llm_config or model client.")
	}
	if cfgFromFile && !has[KindConfig] {
		out = append(out, "Paste your OAI_CONFIG_LIST too (keys are masked): it shows which entries share a key and their api_rate_limit.")
	}
	if has[KindLog] && !has[KindRuntimeDB] && !strong {
		out = append(out, "For a per-call record, turn on runtime logging (autogen.runtime_logging.start()) and upload logs.db, or set OPENAI_LOG=info to see each retry.")
	}
	if len(findings) == 0 && len(sources) > 0 && len(out) == 0 {
		out = append(out, "Nothing here points at a cause. Check the provider's usage page for your tier's limits and whether other jobs share the key.")
	}
	return out
}

// findingKind is the kind of input a finding was read from.
func findingKind(f Finding, kindOf map[string]Kind) Kind {
	if f.InputKind != "" {
		return f.InputKind
	}
	return kindOf[f.File]
}
