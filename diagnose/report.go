package diagnose

// Cause is one entry of the cause vocabulary (DESIGN.md). The first five never
// change spelling; the others each have their own article.
type Cause string

const (
	CauseLoop        Cause = "loop"
	CauseSharedKey   Cause = "shared-key"
	CauseDoubleRetry Cause = "double-retry"
	CauseNoisyTool   Cause = "noisy-tool"
	CauseLowQuota    Cause = "low-quota"
	// Extra causes, each with its own article.
	CauseNoCache          Cause = "no-cache"
	CauseContextGrowth    Cause = "context-growth"
	CauseSpeakerSelection Cause = "speaker-selection"
	CauseSecret           Cause = "secret"
)

// Causes lists every cause in the vocabulary, the five core causes first.
var Causes = []Cause{
	CauseLoop, CauseSharedKey, CauseDoubleRetry, CauseNoisyTool, CauseLowQuota,
	CauseNoCache, CauseContextGrowth, CauseSpeakerSelection, CauseSecret,
}

// Severity orders findings: error > warning > info.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rank gives a comparable weight: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Kind is what an input was classified as.
type Kind string

const (
	KindPython    Kind = "python"
	KindConfig    Kind = "config"
	KindLog       Kind = "log"
	KindRuntimeDB Kind = "runtime-db"
	KindUnknown   Kind = "unknown"
)

// ReportVersion is the version of the JSON report contract.
const ReportVersion = 1

// Report is the JSON contract of DESIGN.md. Extra fields are allowed; the
// required ones never change name.
type Report struct {
	Version  int            `json:"version"`
	Causes   []RankedCause  `json:"causes"`
	Findings []Finding      `json:"findings"`
	Inputs   []InputSummary `json:"inputs"`
	// Next says what to paste or check next when the evidence is thin.
	Next []string `json:"next,omitempty"`
	// Notes are engine messages that are not findings (stale suppressions,
	// inputs that could not be read).
	Notes []Note `json:"notes,omitempty"`
	// Evidence is what the run's own records show and what the setup predicts
	// (charts, calculators); nil when no input gives any.
	Evidence *Evidence `json:"evidence,omitempty"`
}

// Evidence holds the numbers behind the pictures on the results page: what a
// run's logs show (timeline, calls per agent, tool result sizes) and what the
// code predicts (retry amplification, call budget). Every part is optional.
type Evidence struct {
	// Timeline is requests, tokens and 429s per minute, oldest first.
	Timeline []TimelineMinute `json:"timeline,omitempty"`
	// LimitRPM / LimitTPM are the provider limits read from the 429 text
	// (or 0): drawn as a line on the timeline.
	LimitRPM int `json:"limit_rpm,omitempty"`
	LimitTPM int `json:"limit_tpm,omitempty"`
	// Source names the input the timeline came from.
	Source string `json:"source,omitempty"`
	// CallsPerAgent counts model calls per agent (runtime logs, transcripts).
	CallsPerAgent []Count `json:"calls_per_agent,omitempty"`
	// ToolResults are the sizes of tool results, largest first (bounded).
	ToolResults []ToolSize `json:"tool_results,omitempty"`
	// Retry is the retry-amplification arithmetic for the setup, when any
	// retry layer is known.
	Retry *RetryMath `json:"retry,omitempty"`
	// Budget is the predicted calls per run for each chat or team found.
	Budget []ChatBudget `json:"budget,omitempty"`
}

// TimelineMinute is one minute of a run.
type TimelineMinute struct {
	Start       string `json:"start"` // RFC 3339
	Requests    int    `json:"requests"`
	Tokens      int    `json:"tokens,omitempty"`
	RateLimited int    `json:"rate_limited,omitempty"`
}

// Count is a labelled number.
type Count struct {
	Label string `json:"label"`
	N     int    `json:"n"`
}

// ToolSize is one tool result's size.
type ToolSize struct {
	Tool  string `json:"tool"`
	Chars int    `json:"chars"`
	Line  int    `json:"line,omitempty"`
	File  string `json:"file,omitempty"`
}

// RetryMath is how many HTTP requests one logical call can become.
type RetryMath struct {
	Layers   []string `json:"layers"`
	PerCall  int      `json:"per_call"`
	SharedBy int      `json:"shared_by"`
	Burst    int      `json:"burst"`
	Formula  string   `json:"formula"`
	Keep     string   `json:"keep"`
	Changes  []string `json:"changes,omitempty"`
}

// ChatBudget is the predicted call count of one chat or team in the code.
type ChatBudget struct {
	Name      string   `json:"name"`
	File      string   `json:"file,omitempty"`
	Line      int      `json:"line,omitempty"`
	Pattern   string   `json:"pattern"`
	Expected  int      `json:"expected"`
	Worst     int      `json:"worst"` // 0 with Unbounded
	Unbounded bool     `json:"unbounded,omitempty"`
	Steps     []string `json:"steps"`
}

// RankedCause is one cause with its combined score in [0,1] and why it ranks there.
type RankedCause struct {
	Cause   Cause    `json:"cause"`
	Score   float64  `json:"score"`
	Article string   `json:"article"`
	Reason  string   `json:"reason,omitempty"`
	Rules   []string `json:"rules,omitempty"`
}

// Finding is one problem found in one input.
type Finding struct {
	Rule     string   `json:"rule"`
	Title    string   `json:"title,omitempty"`
	Cause    Cause    `json:"cause"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	EndLine  int      `json:"end_line"`
	Column   int      `json:"column,omitempty"`
	Message  string   `json:"message"`
	Evidence string   `json:"evidence"`
	Fix      string   `json:"fix"`
	Article  string   `json:"article"`
	// Edits is the fix as text edits on the person's own input (like a
	// go/analysis SuggestedFix), so every surface can show a real diff.
	Edits []Edit `json:"edits,omitempty"`
	// Security marks findings that are also security problems (hard-coded keys).
	Security bool `json:"security,omitempty"`
	// InputKind is how the finding's input was read (a pasted block can be
	// read as code and as log; ranking weighs the two differently).
	InputKind Kind `json:"input_kind,omitempty"`
}

// Edit replaces the bytes [Start,End) of the named input with New.
// Offsets are byte offsets into the input as given (before any masking).
type Edit struct {
	File  string `json:"file"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new"`
}

// InputSummary says how one input was classified and what was recognised in it.
type InputSummary struct {
	Name       string `json:"name"`
	Kind       Kind   `json:"kind"`
	Generation string `json:"generation,omitempty"` // "0.2" (0.2/AG2), "0.4", or ""
	Provider   string `json:"provider,omitempty"`   // openai, azure, anthropic, gemini, ...
	Lines      int    `json:"lines,omitempty"`
	Error      string `json:"error,omitempty"` // why it could not be read, if so
}

// Note is an engine message tied to an input but not a finding.
type Note struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}
