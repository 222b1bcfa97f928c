package runlog

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Format is what kind of runtime log an input is.
type Format string

const (
	FormatSQLite     Format = "sqlite"      // 0.2/AG2 SqliteLogger database
	FormatFileLogger Format = "file-logger" // 0.2/AG2 FileLogger JSON lines
	FormatLLMCall    Format = "llm-call"    // 0.4+ LLMCall event lines
)

// Limits bound the work and memory of one analysis. A zero field takes the
// value of DefaultLimits.
type Limits struct {
	MaxFileSize    int64         // bytes; larger databases are refused
	Timeout        time.Duration // for the whole analysis
	MaxRows        int64         // chat_completions rows (or JSON lines) scanned
	MaxColumnBytes int           // request/response columns longer than this are measured, not parsed
	MaxLineBytes   int           // longest JSON line read whole; longer lines are skipped
	MaxEvidence    int           // evidence rows kept per list
	MaxKeys        int           // distinct request fingerprints, agents, sessions tracked
}

// DefaultLimits are sized for a 1 GB, 1,000,000-row database on a small machine.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:    4 << 30,
		Timeout:        60 * time.Second,
		MaxRows:        5_000_000,
		MaxColumnBytes: 1 << 20,
		MaxLineBytes:   4 << 20,
		MaxEvidence:    12,
		MaxKeys:        200_000,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxColumnBytes <= 0 {
		l.MaxColumnBytes = d.MaxColumnBytes
	}
	if l.MaxLineBytes <= 0 {
		l.MaxLineBytes = d.MaxLineBytes
	}
	if l.MaxEvidence <= 0 {
		l.MaxEvidence = d.MaxEvidence
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = d.MaxKeys
	}
	return l
}

// Row is one model call kept as evidence.
type Row struct {
	Time       time.Time
	Agent      string
	ID         int64  // chat_completions.id, or the line number in a JSON-lines file
	Line       bool   // ID is a line number
	Event      bool   // ID is an events row (a message between agents), not a model call
	Invocation string // invocation_id (one logical create() call)
	Prompt     int    // prompt tokens (estimated as chars/4 when the record has no usage)
	Completion int
	Cached     bool
	Error      string // error code of a failed call ("rate_limit_exceeded", "429", "None"), "" when it succeeded
}

// Call names the row for a person: "row 12" or "line 12".
func (r Row) Call() string {
	if r.Line {
		return fmt.Sprintf("line %d", r.ID)
	}
	if r.Event {
		return fmt.Sprintf("event %d", r.ID)
	}
	return fmt.Sprintf("row %d", r.ID)
}

// String is one evidence line: time, agent, call, tokens, cache and error.
func (r Row) String() string {
	var b strings.Builder
	if r.Time.IsZero() {
		b.WriteString("-")
	} else {
		b.WriteString(r.Time.Format("2006-01-02 15:04:05"))
	}
	agent := r.Agent
	if agent == "" {
		agent = "?"
	}
	fmt.Fprintf(&b, "  %s  %s", agent, r.Call())
	if !r.Event {
		fmt.Fprintf(&b, "  tokens %d+%d", r.Prompt, r.Completion)
	}
	if r.Cached {
		b.WriteString("  cached")
	}
	if r.Error != "" {
		b.WriteString("  error " + r.Error)
	}
	return b.String()
}

// Rows formats evidence rows, one per line.
func Rows(rows []Row) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = r.String()
	}
	return strings.Join(lines, "\n")
}

// Minute is one bar of the timeline (UTC, truncated to the minute).
type Minute struct {
	Start     time.Time
	Requests  int
	Tokens    int64
	Errors429 int // failed calls with a rate-limit code, plus HTTP 429 log lines
}

// Window is a 60-second window of calls.
type Window struct {
	Start    time.Time
	Requests int
	Tokens   int64
	Agents   int // distinct agents with a call in the window (capped at 64)
}

// AgentStat is what one agent (source_name, or agent_id in 0.4) did.
type AgentStat struct {
	Name             string
	Calls            int
	Failed           int
	Cached           int
	PromptTokens     int64
	CompletionTokens int64
	Cost             float64
	RequestBytes     int64
}

// SessionStat is one logging session.
type SessionStat struct {
	ID          string
	Calls       int
	First, Last time.Time
	FirstMinute int // calls in the first 60 s of the session
}

// ErrorCount is one error code among the failed calls.
type ErrorCount struct {
	Code  string
	Count int
	First Row
}

// Failure is the first failed call and the calls just before it.
type Failure struct {
	Call      Row
	Before    []Row // up to MaxEvidence calls before it, oldest first
	LastMin   int   // calls in the 60 s before it
	LastMinTk int64 // tokens in the 60 s before it
}

// LoopKind names a loop signature.
type LoopKind string

const (
	LoopRepeat   LoopKind = "repeat"    // the same (normalised) last message sent again and again
	LoopGrowth   LoopKind = "growth"    // the conversation grows by the same exchange every call
	LoopPingPong LoopKind = "ping-pong" // two agents answering each other turn after turn
)

// Loop is one loop signature, with the call where it began.
type Loop struct {
	Kind  LoopKind
	Agent string
	Peer  string // the other agent of a ping-pong pair
	Count int    // repeats, growth steps, or alternating turns
	Step  int    // messages added per call (growth)
	Start Row    // where it began
	End   Row    // the last call of the streak (growth)
	Rows  []Row  // the first few calls of the loop
	Text  string // a short, masked sample of the repeated message
}

// ToolStat is one tool's calls from the function_calls table or records.
type ToolStat struct {
	Name        string
	Calls       int
	ReturnBytes int64
	MaxReturn   int64
}

// ClientStat is one model client (oai_clients) and what its init args show.
type ClientStat struct {
	ClientID  int64
	WrapperID int64
	Class     string
	Agents    []string
	KeyMask   string // masked api key when one is recorded (usually it is not)
}

// SharedBucket describes calls of several agents that overlapped in time.
type SharedBucket struct {
	Agents     []string // agents whose calls overlapped another agent's call
	Overlaps   int      // calls that started while another agent's call was in flight
	MaxInFight int      // most calls in flight at once
	Models     []string
	KeyMask    string // a key recorded for several wrappers (masked), if any
	KeyAgents  []string
	Rows       []Row
}

// HTTPStats are openai/httpx log lines found among JSON lines.
type HTTPStats struct {
	Requests  int // "HTTP Request: POST ..." lines
	Status429 int
	Retries   int // "Retrying request to ... in X seconds"
	// MaxBurst is the most 429/retry lines in a row between two successful requests.
	MaxBurst int
}

// Facts are the facts of one runtime log.
type Facts struct {
	Format     Format
	Generation string   // "0.2" (0.2/AG2) or "0.4"
	Tables     []string // SQLite tables present
	Schema     int      // version.version_number, 0 when absent

	Calls            int
	Failed           int
	Cached           int
	PromptTokens     int64
	CompletionTokens int64
	TokensEstimated  int // calls whose tokens were estimated as chars/4
	Cost             float64
	CostRecorded     bool
	First, Last      time.Time

	Sessions []SessionStat
	Agents   []AgentStat // most calls first
	Timeline []Minute    // sorted by time
	Peak     Window      // most requests in any 60 s window
	PeakRows []Row       // the last calls of that window, as evidence
	PeakTok  Window      // most tokens in any 60 s window
	// FirstCalls are the first calls of the log, as evidence.
	FirstCalls []Row

	Errors        []ErrorCount // most frequent first
	FirstFailure  *Failure
	FailoverCalls int // logical calls (invocations) with more than one failed row: failover over config_list
	MaxFailedRows int // most failed rows of one invocation
	FailoverRows  []Row
	// Resent counts failed calls whose same request was sent again by the same agent
	// right after (an application-level retry around the chat).
	Resent     int
	ResentRows []Row

	Loops []Loop

	Tools          []ToolStat
	ToolCalls      int
	ToolChars      int64 // characters of tool/function messages in requests
	RequestChars   int64 // characters of all requests
	MaxToolMessage int64
	MaxToolRow     Row

	// Repeated counts uncached calls whose request had already been sent
	// earlier: what a cache would have saved on a rerun.
	Repeated     int
	RepeatedRows []Row

	Clients []ClientStat
	Shared  SharedBucket

	HTTP HTTPStats

	Skipped   int   // garbage or unreadable lines (JSON lines) or rows
	LongLines int   // lines longer than MaxLineBytes
	HugeCols  int   // request/response columns longer than MaxColumnBytes (measured only)
	Truncated bool  // MaxRows reached; the rest was not read
	Bytes     int64 // input size
	Notes     []string
}

// Agent returns the stats of the named agent, or nil.
func (f *Facts) Agent(name string) *AgentStat {
	for i := range f.Agents {
		if f.Agents[i].Name == name {
			return &f.Agents[i]
		}
	}
	return nil
}

// ErrorCount returns how many failed calls carried code.
func (f *Facts) ErrorCount(code string) int {
	for _, e := range f.Errors {
		if e.Code == code {
			return e.Count
		}
	}
	return 0
}

// ToolShare is the share of request characters that are tool results.
func (f *Facts) ToolShare() float64 {
	if f.RequestChars == 0 {
		return 0
	}
	return float64(f.ToolChars) / float64(f.RequestChars)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
