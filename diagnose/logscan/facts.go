package logscan

import "time"

// Provider names who answered a rate-limited request.
type Provider string

const (
	ProviderOpenAI    Provider = "openai"
	ProviderAzure     Provider = "azure"
	ProviderAnthropic Provider = "anthropic"
	ProviderGemini    Provider = "gemini"
	ProviderGroq      Provider = "groq"
	ProviderMoonshot  Provider = "moonshot" // Moonshot AI (Kimi), OpenAI-compatible
	ProviderLiteLLM   Provider = "litellm"
	ProviderHelicone  Provider = "helicone"
	ProviderOther     Provider = "other"
)

// Kind is which limit a 429 reports.
type Kind string

const (
	KindRPM               Kind = "requests-per-minute"
	KindTPM               Kind = "tokens-per-minute"
	KindRPD               Kind = "requests-per-day"
	KindTPD               Kind = "tokens-per-day"
	KindInsufficientQuota Kind = "insufficient-quota"
	KindAzureCallRate     Kind = "azure-call-rate"
	KindAzureTokenRate    Kind = "azure-token-rate"
	// KindOverloaded is Anthropic's 529: the service is busy, not your limit.
	KindOverloaded Kind = "overloaded"
	// KindGateway is a limit a gateway (LiteLLM, Helicone) enforces itself.
	KindGateway Kind = "gateway"
	KindUnknown Kind = "unknown"
)

// RateLimit is one distinct rate-limit event; repeats of the same provider,
// kind, limit and model are folded into Count.
type RateLimit struct {
	Line     int // first line of the first occurrence
	EndLine  int // last line of the first occurrence's message
	LastLine int // first line of the last occurrence
	Count    int
	Provider Provider
	// Via is a gateway the provider's own 429 passed through ("litellm", "helicone").
	Via        string
	Kind       Kind
	Status     int // 429, 529, or 0 when the text did not say
	Limit      int64
	Used       int64
	Requested  int64 // the largest seen over all occurrences
	RetryAfter time.Duration
	// TooLarge: one request alone is over the per-minute budget ("Request too large").
	TooLarge bool
	Model    string
	Org      string // masked
	Tier     string // "S0", "free tier", "on_demand", a Gemini quotaId ...
	QuotaID  string
	Code     string
	Type     string
	Message  string // masked and truncated
	// Raised: at least one occurrence was an exception's own line (a
	// traceback's last line, "openai.RateLimitError: ...", a tenacity or
	// backoff line naming the exception): the call failed there, it was not
	// only logged on the way to a retry that worked.
	Raised bool
}

// Retry is one retry line.
type Retry struct {
	Line int
	// Delay is the wait the line states; -1 for an app's attempt line
	// ("attempt 2/5", "Attempt 3 failed"), which states none.
	Delay time.Duration
	// Layer is "sdk" (openai/anthropic _base_client), "tenacity", "backoff" or
	// "app" (any other "retrying in N seconds" line).
	Layer string
	// Left is the "N retries left" count from a DEBUG line; -1 when unknown.
	Left int
	Text string
}

// Request is one logical request seen through its retries: the first 429 or
// retry line up to its success or final failure. Interleaved concurrent
// requests cannot always be told apart in a plain log, so a chain is split
// whenever the SDK's backoff restarts at its smallest delay.
type Request struct {
	Line, EndLine int
	Attempts      int // HTTP responses seen in the chain
	RateLimited   int // of which 429
	SDKRetries    int
	AppRetries    int
	// MaxSDKRun is the most SDK retries in a row with no app-level retry between:
	// the client's own retries for one attempt (its max_retries, 2 by default).
	MaxSDKRun int
	// MaxLeft is the highest "N retries left" seen (DEBUG logs), -1 when none.
	MaxLeft int
	Delays  []time.Duration // SDK delays in order (capped)
	Outcome string          // "ok", "error" or "open"
	Layers  []string
}

// Minute is one minute of the timeline.
type Minute struct {
	Start       time.Time
	Line        int // first line that fell in this minute
	Requests    int
	RateLimited int
}

// Pair counts the messages exchanged by two agents (both directions).
type Pair struct {
	A, B      string
	Turns     int
	Line      int
	EndLine   int
	Repeats   int // messages in this pair that repeat an earlier message of the pair
	LastTerms bool
}

// Speaker counts AutoGen 0.4 Console messages per source.
type Speaker struct {
	Name     string
	Messages int
	Line     int
}

// Repeat is one near-identical message seen several times.
type Repeat struct {
	Text     string // first 200 characters, masked
	Sender   string
	Count    int
	Line     int // first occurrence
	LastLine int
}

// ToolCall is one tool called with one set of arguments, with its count.
type ToolCall struct {
	Name     string
	Args     string // normalised, truncated
	Count    int
	Line     int
	LastLine int
}

// ToolResult is one tool response.
type ToolResult struct {
	Line, EndLine int
	Name          string
	ID            string
	Size          int // characters of the response body
}

// Termination is a line that says why a run stopped.
type Termination struct {
	Line   int
	Reason string
	// Cap is true when the run stopped at a turn, round or reply cap.
	Cap bool
}

// Exception is the last line of a traceback (or a logged exception line).
type Exception struct {
	Line    int
	Type    string
	Message string
	Count   int
}

// PromptGrowth is the prompt size over a run: first, largest and last.
type PromptGrowth struct {
	Calls                        int
	First, Max, Last             int
	FirstLine, MaxLine, LastLine int
}

// Facts are the facts of one log input.
type Facts struct {
	Lines     int
	LongLines int // lines cut at the line cap
	// Generation is "0.2" (0.2/AG2 transcript), "0.4" (Console) or "".
	Generation string
	// Provider is the provider of most rate-limit events, or "".
	Provider Provider

	RateLimits   []RateLimit
	RateLimitsN  int // all rate-limit messages, before folding
	HTTPRequests int // HTTP responses logged (httpx / openai DEBUG) plus LLMCall events
	HTTP429      int
	StatusCounts map[int]int

	Retries    []Retry // capped
	RetriesN   int
	Requests   []Request // logical requests with at least one retry (capped)
	MaxLeftAll int       // the highest "N retries left" seen, -1 when none

	Timeline []Minute

	Pairs    []Pair
	Speakers []Speaker
	Messages int // transcript messages
	Repeats  []Repeat

	ToolCalls   []ToolCall
	ToolResults []ToolResult // capped: the largest are kept
	ToolResultN int

	Terminations []Termination
	Exceptions   []Exception

	// Prompt follows the prompt size of successive model calls (0.4 LLMCall
	// events and Console "[Prompt tokens: N, ...]" lines).
	Prompt PromptGrowth

	// SelectSpeakerFailures counts AG2/0.2 speaker-selection retries.
	SelectSpeakerFailures int
	SelectSpeakerLine     int
}
