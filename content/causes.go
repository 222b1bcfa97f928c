package content

// CauseInfo describes one cause of the vocabulary for the article index.
type CauseInfo struct {
	Cause string // spelled exactly as in front matter and diagnosis reports
	Title string // heading of its group on the article index
	Blurb string // one sentence under the heading
}

// causeTable is the cause vocabulary in the order the article index shows it:
// the orientation articles first, then the five core causes (whose spelling
// never changes), then the further causes.
var causeTable = []CauseInfo{
	{"general", "Start here", "What the error means, how to debug it, and how to keep it from coming back."},
	{"loop", "Agent loops", "Agents keep replying to each other because nothing tells them to stop."},
	{"shared-key", "One key, many callers", "Several agents or parallel runs draw on one API key or deployment, so their calls burst together."},
	{"double-retry", "Stacked retries", "Retry layers multiply each other, or retry at once with no backoff."},
	{"noisy-tool", "Noisy tools", "Tool results so large or noisy that they cause extra turns and token bursts."},
	{"low-quota", "Low or spent quota", "The provider's limit is lower than you think, or the quota is used up."},
	{"speaker-selection", "Group chats", "Speaker selection and the round limit multiply the calls of a group chat."},
	{"context-growth", "Growing context", "The history grows with every turn until tokens per minute run out."},
	{"no-cache", "No cache while developing", "Every rerun pays for the same calls again."},
	{"secret", "Keys in code", "A key written into the code gets shared, copied or revoked."},
}

// CoreCauses returns the five causes the product is organised around; every
// one of them must have at least one built-in article.
func CoreCauses() []string {
	return []string{"loop", "shared-key", "double-retry", "noisy-tool", "low-quota"}
}

// Causes returns the cause vocabulary (plus "general") in index order.
func Causes() []CauseInfo {
	return append([]CauseInfo(nil), causeTable...)
}

// causeRank is a cause's position in causeTable, or -1 when it is unknown.
func causeRank(cause string) int {
	for i, c := range causeTable {
		if c.Cause == cause {
			return i
		}
	}
	return -1
}

// IsCause reports whether cause is a front matter cause this package knows.
func IsCause(cause string) bool { return causeRank(cause) >= 0 }

func causeNames() []string {
	names := make([]string, len(causeTable))
	for i, c := range causeTable {
		names[i] = c.Cause
	}
	return names
}
