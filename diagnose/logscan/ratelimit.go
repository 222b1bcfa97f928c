package logscan

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
)

// The regular expressions below run only on text that already passed the
// rate-limit prefilter, never on every line.
var (
	// OpenAI / Groq: "on requests per min (RPM): Limit 3, Used 3, Requested 1."
	// and "on tokens per day (TPD): Limit 100000, Used 97050, Requested 3619."
	// The 2023 form says "on tokens_usage_based per day: Limit 1500000, ...".
	reOnLimit = regexp.MustCompile(`(?i)on (requests|tokens|images|tokens_usage_based|requests_usage_based) per (min|minute|day)\b(?:\s*\((RPM|TPM|RPD|TPD|IPM)\))?[:.]?\s*Limit:?\s*(\d(?:[\d,]*\d)?)(?:\s*/\s*min)?(?:,\s*Used:?\s*(\d(?:[\d,]*\d)?))?(?:,\s*Requested:?\s*~?(\d(?:[\d,]*\d)?))?`)
	// 2023 form: "Current: 716823 / min"
	reCurrent   = regexp.MustCompile(`Current:\s*([\d,]+)\s*/\s*min`)
	reModelFor  = regexp.MustCompile("(?:Rate limit reached|Request too large) for (?:model )?`?([A-Za-z0-9._:/\\-]+)`?")
	reOrg       = regexp.MustCompile("in organization `?([A-Za-z0-9_\\-*]+)`?")
	reSvcTier   = regexp.MustCompile("service tier `([a-z_]+)`")
	reTryIn     = regexp.MustCompile(`(?i)try again in\s+((?:\d+(?:\.\d+)?(?:h|ms|m|s))+|\d+(?:\.\d+)?\s*seconds?)`)
	reRetryAft  = regexp.MustCompile(`(?i)(?:retry|try again) after\s+(\d+(?:\.\d+)?)\s*(?:seconds?|s)\b`)
	reRetryHdr  = regexp.MustCompile(`(?i)['"]?retry-after['"]?\s*[:=]\s*['"]?(\d+(?:\.\d+)?)`)
	reRetryDel  = regexp.MustCompile(`retryDelay['"]?\s*:\s*['"](\d+(?:\.\d+)?)s`)
	reQuotaID   = regexp.MustCompile(`quotaId['"]?\s*:\s*['"]([A-Za-z0-9\-_]+)`)
	reQuotaVal  = regexp.MustCompile(`quotaValue['"]?\s*:\s*['"]?(\d+)`)
	reGemModel  = regexp.MustCompile(`['"]model['"]\s*:\s*['"]([A-Za-z0-9._\-]+)`)
	reAzureTier = regexp.MustCompile(`your current ([A-Za-z]+ S\d|[A-Za-z]+ [A-Za-z0-9]+) pricing tier`)
	// "the rate limit for your organization (<id>) of 20,000 input tokens per
	// minute"; through some OpenAI-compatible proxies the id is left out.
	reAnthLimit = regexp.MustCompile(`(?i)(?:rate limit for your organization(?:\s*\([^)]*\))?|organization's rate limit) of ([\d,]+) (input tokens|output tokens|tokens|requests) per (minute|day)`)
	reAnthModel = regexp.MustCompile(`model: ([A-Za-z0-9._\-]+)`)
	reAnthOrg   = regexp.MustCompile(`organization \(([0-9a-f\-.]+)\)|org: ([0-9a-f\-.]+)`)
	reCode      = regexp.MustCompile(`['"]code['"]\s*:\s*['"]?([A-Za-z_0-9]+)`)
	reType      = regexp.MustCompile(`['"]type['"]\s*:\s*['"]([A-Za-z_0-9]+)`)
	reMaxReq    = regexp.MustCompile(`max request:\s*(\d+)`)
	reStatus    = regexp.MustCompile(`(?:Error code:|status(?:_code)?['"]?\s*[:=])\s*(429|529)\b`)
	reOrgID     = regexp.MustCompile(`\borg[-_][A-Za-z0-9]{4,}|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	reXLimit    = regexp.MustCompile(`(?i)x-ratelimit-limit['"]?\s*[:=]\s*['"]?(\d+)`)
	reLiteLimit = regexp.MustCompile(`rpm[ _]limit:?\s*(\d+)|tpm[ _]limit:?\s*(\d+)`)
)

// ParseRateLimit reads one rate-limit message (an exception line, a logged
// body, a tenacity line) and returns what it says, with the message masked.
// ok is false when the text is not a rate-limit or overload message.
func ParseRateLimit(text string) (RateLimit, bool) {
	rl, ok := parseRateLimit(text)
	if ok {
		rl.Message = cleanMessage(rl.Message)
	}
	return rl, ok
}

// parseRateLimit is ParseRateLimit without the masking of Message (the scanner
// masks only the messages it keeps).
func parseRateLimit(text string) (rl RateLimit, ok bool) {
	lower := strings.ToLower(text)
	if !looksRateLimited(lower) {
		return rl, false
	}
	rl.Provider = ProviderOther
	rl.Kind = KindUnknown
	if m := reStatus.FindStringSubmatch(text); m != nil {
		rl.Status, _ = strconv.Atoi(m[1])
	} else if strings.Contains(lower, "429") {
		rl.Status = 429
	}
	rl.Code = firstGroup(reCode, text)
	rl.Type = firstGroup(reType, text)
	rl.RetryAfter = retryAfter(text)

	// Provider first: the same words ("You exceeded your current quota") mean
	// different things for OpenAI and Gemini.
	via := ""
	switch {
	case strings.Contains(lower, "litellm"):
		via = "litellm"
	case strings.Contains(lower, "helicone"):
		via = "helicone"
	}
	switch {
	case strings.Contains(lower, "overloaded_error") || strings.Contains(lower, "overloadederror") ||
		(strings.Contains(lower, "529") && strings.Contains(lower, "overloaded")):
		rl.Provider, rl.Kind, rl.Status = ProviderAnthropic, KindOverloaded, 529
	case isLiteLLMOwn(lower):
		rl.Provider, rl.Kind = ProviderLiteLLM, KindGateway
		if m := reLiteLimit.FindStringSubmatch(lower); m != nil {
			if m[1] != "" {
				rl.Limit = atoi(m[1])
			} else {
				rl.Limit = atoi(m[2])
			}
		}
	case via == "helicone" && isHeliconeOwn(lower):
		// Loose match (UNVERIFIED wording): a 429 that names Helicone and no
		// provider body is taken as Helicone's own rate-limit policy.
		rl.Provider, rl.Kind = ProviderHelicone, KindGateway
	case strings.Contains(lower, "pricing tier") || strings.Contains(lower, "azure openai") ||
		strings.Contains(lower, "aka.ms/oai") || strings.Contains(lower, "provisioned throughput") ||
		strings.Contains(lower, "rate limit is exceeded. try again in"):
		parseAzure(text, lower, &rl)
	case strings.Contains(lower, "resource_exhausted") || strings.Contains(lower, "resourceexhausted") ||
		strings.Contains(lower, "resource has been exhausted") || strings.Contains(lower, "generativelanguage.googleapis.com") ||
		strings.Contains(lower, "quotaid"):
		parseGemini(text, &rl)
	case strings.Contains(lower, "rate_limit_error") || strings.Contains(lower, "anthropic") ||
		strings.Contains(lower, "input tokens per minute") || strings.Contains(lower, "output tokens per minute"):
		parseAnthropic(text, &rl)
	case strings.Contains(lower, "groq") || strings.Contains(lower, "service tier `"):
		rl.Provider = ProviderGroq
		parseOpenAIStyle(text, lower, &rl)
	case strings.Contains(lower, "free-models-per-") || strings.Contains(lower, "limit_rpd") || strings.Contains(lower, "limit_rpm"):
		// OpenRouter: "Rate limit exceeded: free-models-per-day" (or -per-min),
		// "limit_rpd/<model>/..." with an X-RateLimit-Limit header in the metadata.
		rl.Provider, rl.Tier = ProviderOther, "OpenRouter free models"
		rl.Kind = KindRPM
		if strings.Contains(lower, "per-day") || strings.Contains(lower, "limit_rpd") {
			rl.Kind = KindRPD
		}
		if v := firstGroup(reXLimit, text); v != "" {
			rl.Limit = atoi(v)
		}
	case strings.Contains(lower, "rate_limit_reached_error") || strings.Contains(lower, "max request:"):
		// Moonshot/Kimi: "request reached max request: 3, please try again after
		// 1 seconds" (the message does not say per what; a one-second retry hint
		// makes it a short-window request limit, read as requests per minute).
		rl.Provider = ProviderMoonshot
		if m := reMaxReq.FindStringSubmatch(text); m != nil {
			rl.Limit = atoi(m[1])
			if rl.RetryAfter < time.Hour {
				rl.Kind = KindRPM
			}
		}
	default:
		if strings.Contains(lower, "openai") || strings.Contains(lower, "insufficient_quota") ||
			strings.Contains(lower, "rate limit reached for") || strings.Contains(lower, "request too large for") ||
			strings.Contains(lower, "you exceeded your current quota") {
			rl.Provider = ProviderOpenAI
		}
		parseOpenAIStyle(text, lower, &rl)
	}
	if rl.Provider != ProviderLiteLLM && rl.Provider != ProviderHelicone {
		rl.Via = via
	}
	rl.Message = truncate(strings.TrimSpace(text), 2000)
	return rl, true
}

// looksRateLimited is the word-level test a message must pass.
func looksRateLimited(lower string) bool {
	for _, w := range rateLimitWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// looksRateLimitedBytes is looksRateLimited on a lower-cased byte slice.
func looksRateLimitedBytes(lower []byte) bool {
	for _, w := range rateLimitWordsB {
		if bytes.Contains(lower, w) {
			return true
		}
	}
	return false
}

var rateLimitWordsB = func() [][]byte {
	out := make([][]byte, len(rateLimitWords))
	for i, w := range rateLimitWords {
		out[i] = []byte(w)
	}
	return out
}()

// appendLower appends b lower-cased (ASCII letters only; other bytes as they are).
func appendLower(dst, b []byte) []byte {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// rateLimitWords are specific enough that code lines ("except RateLimitError")
// and settings ("api_rate_limit") do not match.
var rateLimitWords = []string{"429", "rate limit reached", "rate limit exceeded", "rate limit is exceeded", "rate limit of",
	"rate limit for", "rate limits exceeded", "rate limited", "rate_limit_exceeded", "rate_limit_error", "rate_limit_reached", "ratelimiterror:",
	"ratelimiterror(", "resource_exhausted", "resourceexhausted:", "resource has been exhausted", "insufficient_quota",
	"exceeded your current quota", "too many requests", "overloaded_error", "overloadederror", "max parallel request limit",
	"no deployments available", "crossed tpm", "quotaid", "budget has been exceeded", "request too large for"}

func isLiteLLMOwn(lower string) bool {
	for _, w := range []string{"max parallel request limit reached", "litellm rate limit handler", "crossed tpm, rpm limit",
		"no deployments available for selected model", "routerratelimiterror", "budget has been exceeded", "budget_exceeded",
		"key rpm limit reached", "key tpm limit reached"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

func isHeliconeOwn(lower string) bool {
	// A provider body inside means the provider's 429 passed through Helicone.
	for _, w := range []string{"rate limit reached for", "insufficient_quota", "rate_limit_error", "resource_exhausted", "pricing tier", "exceeded your current quota"} {
		if strings.Contains(lower, w) {
			return false
		}
	}
	return true
}

func parseOpenAIStyle(text, lower string, rl *RateLimit) {
	if strings.Contains(lower, "insufficient_quota") || (strings.Contains(lower, "exceeded your current quota") && rl.Provider == ProviderOpenAI) ||
		strings.Contains(lower, "account is not active") {
		rl.Kind = KindInsufficientQuota
		return
	}
	if m := reOnLimit.FindStringSubmatch(text); m != nil {
		unit, per, abbr := strings.ToLower(m[1]), strings.ToLower(m[2]), strings.ToUpper(m[3])
		unit = strings.TrimSuffix(unit, "_usage_based")
		switch {
		case abbr == "RPM" || (abbr == "" && unit == "requests" && per != "day"):
			rl.Kind = KindRPM
		case abbr == "TPM" || (abbr == "" && unit == "tokens" && per != "day"):
			rl.Kind = KindTPM
		case abbr == "RPD" || (unit == "requests" && per == "day"):
			rl.Kind = KindRPD
		case abbr == "TPD" || (unit == "tokens" && per == "day"):
			rl.Kind = KindTPD
		}
		rl.Limit = atoi(m[4])
		rl.Used = atoi(m[5])
		rl.Requested = atoi(m[6])
		if rl.Used == 0 {
			if c := reCurrent.FindStringSubmatch(text); c != nil {
				rl.Used = atoi(c[1])
			}
		}
	}
	rl.TooLarge = strings.Contains(lower, "request too large")
	rl.Model = firstGroup(reModelFor, text)
	if org := firstGroup(reOrg, text); org != "" {
		rl.Org = maskID(org)
	}
	if t := firstGroup(reSvcTier, text); t != "" {
		rl.Tier = t
	}
	if rl.Kind == KindRPM && rl.Limit > 0 && rl.Limit <= 3 && rl.Provider == ProviderOpenAI {
		rl.Tier = "free tier"
	}
	if strings.Contains(lower, "adding a payment method") && rl.Tier == "" {
		rl.Tier = "free tier"
	}
}

func parseAzure(text, lower string, rl *RateLimit) {
	rl.Provider = ProviderAzure
	switch {
	case strings.Contains(lower, "experiencing high demand") || strings.Contains(lower, "during peak load"):
		// "The system is currently experiencing high demand ... allowed during
		// peak load": Azure's shared capacity is short, not the deployment's quota.
		rl.Kind = KindOverloaded
	case strings.Contains(lower, "token rate limit"):
		rl.Kind = KindAzureTokenRate
	case strings.Contains(lower, "call rate limit"):
		rl.Kind = KindAzureCallRate
	}
	if m := reAzureTier.FindStringSubmatch(text); m != nil {
		rl.Tier = m[1]
	}
}

func parseGemini(text string, rl *RateLimit) {
	rl.Provider = ProviderGemini
	rl.QuotaID = firstGroup(reQuotaID, text)
	q := strings.ToLower(rl.QuotaID)
	tokens := strings.Contains(q, "token")
	switch {
	case strings.Contains(q, "perday"):
		rl.Kind = KindRPD
		if tokens {
			rl.Kind = KindTPD
		}
	case strings.Contains(q, "perminute"):
		rl.Kind = KindRPM
		if tokens {
			rl.Kind = KindTPM
		}
	}
	if v := firstGroup(reQuotaVal, text); v != "" {
		rl.Limit = atoi(v)
	}
	if strings.Contains(q, "freetier") {
		rl.Tier = "free tier"
	} else if rl.QuotaID != "" {
		rl.Tier = rl.QuotaID
	}
	rl.Model = firstGroup(reGemModel, text)
	if rl.Status == 0 {
		rl.Status = 429
	}
}

func parseAnthropic(text string, rl *RateLimit) {
	rl.Provider = ProviderAnthropic
	if m := reAnthLimit.FindStringSubmatch(text); m != nil {
		rl.Limit = atoi(m[1])
		unit, per := m[2], m[3]
		switch {
		case strings.Contains(unit, "tokens") && per == "minute":
			rl.Kind = KindTPM
		case strings.Contains(unit, "tokens"):
			rl.Kind = KindTPD
		case per == "minute":
			rl.Kind = KindRPM
		default:
			rl.Kind = KindRPD
		}
	}
	if rl.Kind == KindUnknown {
		// The older wording states the window but not the size: "Number of
		// request tokens has exceeded your per-minute rate limit", "Number of
		// output tokens ...", "Number of requests ...".
		lower := strings.ToLower(text)
		if i := strings.Index(lower, "has exceeded your per-minute rate limit"); i >= 0 {
			rl.Kind = KindRPM
			if strings.Contains(lower[max(0, i-30):i], "tokens") {
				rl.Kind = KindTPM
			}
		}
	}
	rl.Model = firstGroup(reAnthModel, text)
	if m := reAnthOrg.FindStringSubmatch(text); m != nil {
		rl.Org = maskID(m[1] + m[2])
	}
}

// retryAfter reads the wait a message asks for, in any of the providers' wordings.
func retryAfter(text string) time.Duration {
	if m := reTryIn.FindStringSubmatch(text); m != nil {
		return parseWait(m[1])
	}
	if m := reRetryAft.FindStringSubmatch(text); m != nil {
		return seconds(m[1])
	}
	if m := reRetryDel.FindStringSubmatch(text); m != nil {
		return seconds(m[1])
	}
	if m := reRetryHdr.FindStringSubmatch(text); m != nil {
		return seconds(m[1])
	}
	return 0
}

// parseWait reads "20s", "1.984999999s", "9m38.016s", "14h29m11.04s", "6ms" and "3 seconds".
func parseWait(s string) time.Duration {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "seconds") || strings.HasSuffix(s, "second") {
		return seconds(strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "seconds"), "second")))
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0
	}
	return d
}

func seconds(s string) time.Duration {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e7 {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

func atoi(s string) int64 {
	s = strings.ReplaceAll(s, ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func firstGroup(re *regexp.Regexp, s string) string {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	for _, g := range m[1:] {
		if g != "" {
			return g
		}
	}
	return ""
}

// maskID keeps an organisation id recognisable but not usable: "org-…3YE0".
func maskID(id string) string {
	if strings.Contains(id, "*") || strings.Contains(id, "...") || len(id) < 8 {
		return id
	}
	prefix := ""
	if strings.HasPrefix(id, "org-") || strings.HasPrefix(id, "org_") {
		prefix = id[:4]
	}
	return prefix + "…" + id[len(id)-4:]
}

// cleanMessage masks keys and organisation ids and truncates to 600 bytes.
func cleanMessage(text string) string {
	s := strings.TrimSpace(text)
	s = redact.String(s)
	if strings.Contains(s, "org-") || strings.Contains(s, "org_") || hasUUIDShape(s) { // the regexp only where an id can be
		s = reOrgID.ReplaceAllStringFunc(s, maskID)
	}
	return truncate(s, 600)
}

// hasUUIDShape: somewhere a '-' follows eight hex digits (the start of a
// UUID, as Anthropic organisation ids are); cheaper than the regexp on log
// lines full of dashes.
func hasUUIDShape(s string) bool {
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '-')
		if i < 0 {
			return false
		}
		i += off
		if i >= 8 {
			ok := true
			for _, c := range []byte(s[i-8 : i]) {
				if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		off = i + 1
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
