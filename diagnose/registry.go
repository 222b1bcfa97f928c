package diagnose

import (
	"slices"
	"strings"
)

// codeRules read Python and config inputs. Each is defined beside its check
// in the rules_*.go file named after what it finds; listing them here keeps
// the registry explicit (no init() self-registration).
var codeRules = []*Rule{
	ruleAutoReplyLoop,
	ruleTeamNoTermination,
	ruleGroupChatLongRun,
	ruleSharedKeyConcurrent,
	ruleConfigSharedKey,
	ruleStackedRetry,
	ruleRetryNoBackoff,
	ruleUnboundedTool,
	ruleRateLimitUnits,
	ruleRateLimitIgnored,
	ruleCacheOff,
	ruleGroupChatRounds,
	ruleSelectorCost,
	ruleHistoryKept,
	ruleHardcodedKey,
}

// All is every rule, sorted by ID: the code and config rules here, the log
// rules (rules_log.go) and the runtime-log rules (rules_runtime.go).
var All = sortRules(concatRules(codeRules, logRules, runtimeRules))

func concatRules(sets ...[]*Rule) []*Rule {
	var out []*Rule
	for _, s := range sets {
		out = append(out, s...)
	}
	return out
}

func sortRules(rules []*Rule) []*Rule {
	out := slices.Clone(rules)
	slices.SortFunc(out, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Lookup finds a rule by ID (case-insensitive).
func Lookup(id string) (*Rule, bool) {
	id = strings.ToUpper(strings.TrimSpace(id))
	i, ok := slices.BinarySearchFunc(All, id, func(r *Rule, id string) int { return strings.Compare(r.ID, id) })
	if !ok {
		return nil, false
	}
	return All[i], true
}

// Articles is the set of article slugs a rule or cause may link.
var Articles = []string{
	"what-rate-limit-exceeded-means", "agent-loops", "shared-api-key", "stacked-retries", "noisy-tools",
	"quota-and-tiers", "decode-429-message", "cache-during-development", "group-chat-calls",
	"client-side-throttling", "context-growth", "local-model-for-development", "debugging-playbook",
	"prevention-checklist", "hard-coded-api-keys", "gateway-rate-limits",
}

// CauseArticle is the main article of each cause.
var CauseArticle = map[Cause]string{
	CauseLoop:             "agent-loops",
	CauseSharedKey:        "shared-api-key",
	CauseDoubleRetry:      "stacked-retries",
	CauseNoisyTool:        "noisy-tools",
	CauseLowQuota:         "quota-and-tiers",
	CauseNoCache:          "cache-during-development",
	CauseContextGrowth:    "context-growth",
	CauseSpeakerSelection: "group-chat-calls",
	CauseSecret:           "hard-coded-api-keys",
}

// fence is a Markdown code fence, for rule docs (Go raw strings cannot hold backticks).
const fence = "```"

// example renders a rule doc's "Example" and "Use instead" code blocks.
func example(bad, good string) string {
	return "\n\n**Example**\n\n" + fence + "python\n" + bad + "\n" + fence +
		"\n\n**Use instead**\n\n" + fence + "python\n" + good + "\n" + fence
}
