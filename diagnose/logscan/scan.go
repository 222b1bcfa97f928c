package logscan

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Caps keep memory bounded whatever the input size.
const (
	maxLine        = 64 << 10 // bytes of a line that are looked at; the rest is skipped (but counted)
	maxEventBytes  = 8 << 10  // a multi-line 429 message
	maxEventLines  = 30
	maxRateLimits  = 200
	maxRetries     = 2000
	maxRequests    = 5000
	maxDelays      = 16
	maxMinutes     = 200000
	maxHashes      = 20000
	maxToolResults = 200
	maxExceptions  = 200
	maxTerms       = 200
	chainGapLines  = 400 // a retry chain with no news for this many lines is over
)

// message modes of the transcript state machine.
const (
	modeNone = iota
	modeMsg02
	modeMsg04
	modeSummary04
)

type scanner struct {
	f        *Facts
	seed     maphash.Seed
	tsOK     bool
	tsOff    int
	tsKey    [16]byte
	tsMinute time.Time

	n    int      // current line number
	kw   int      // keyword flags of the current line (keywordFlags)
	info lineInfo // the state-free analysis of the current line

	// timestamps and the per-minute timeline
	reqStatus  [600]int // httpx responses by status
	respStatus [600]int // openai DEBUG "HTTP Response" lines by status
	llmCalls   int      // 0.4 LLMCall events
	minutes    map[int64]*minuteCount
	lastMin    *minuteCount
	lastMinKey int64
	names      map[string]string // interned agent names

	// rate-limit folding
	rlIndex map[rlKey]int
	rlMemo  map[uint64]RateLimit // parsed bodies by their exact text: logs repeat the same 429
	ev      event

	// traceback state
	inTB bool

	// retry chains
	seq         int // bumped by every HTTP and retry line: tells a reprinted 429 from a new one
	rlSeq       map[int]int
	chain       Request
	chainOn     bool
	chainLast   int
	lastSDK     time.Duration
	appSinceSDK bool
	sdkRun      int
	appAttempt  int // the last attempt number an app logged ("attempt 2/5", "Attempt 3 failed")

	// transcripts
	mode      int
	msg       message
	prevSrc   string // 0.4: source of the previous message
	pairs     map[[2]string]*Pair
	pairOrder [][2]string
	repeats   map[uint64]*repeatCount
	speakers  map[string]*Speaker
	spOrder   []string
	gen02     int
	gen04     int
	hint02    int // traceback frames from 0.2/AG2 packages
	hint04    int // ... from 0.4+ packages

	// tool banners (0.2) and tool events (0.4)
	toolCalls  map[uint64]*ToolCall
	inToolArgs bool
	toolName   string
	toolLine   int
	toolArgs   []byte
	inToolResp bool
	toolResp   ToolResult

	exceptions map[string]int
	lower      []byte // scratch for a lower-cased line
	exKey      []byte // scratch for an exception's map key
	excLine    int    // the last line read as an exception
	retryExc   int    // the last tenacity/backoff line (it names the exception it retries)
}

type minuteCount struct {
	http, llm, rl429, rlEvents int
	line                       int
}

type repeatCount struct {
	r Repeat
}

// event is a rate-limit message that may span several lines (a dict body
// broken over lines, a wrapped console line).
type event struct {
	on    bool
	line  int
	lines int
	depth int
	buf   []byte
	ts    time.Time
	hasTS bool
	// colon: the line ended in "RateLimitError:" and the body follows on the next line.
	colon bool
	// raised: the event starts on an exception line (see RateLimit.Raised).
	raised bool
}

// message is the transcript message being read.
type message struct {
	on       bool
	sender   string
	to       string
	class    string
	line     int
	hash     uint64
	size     int
	preview  []byte
	hasBody  bool
	banner   bool // a tool banner ("***** Suggested tool call") was inside
	mentions bool // says TERMINATE
}

func newScanner() *scanner {
	return &scanner{
		f:          &Facts{StatusCounts: map[int]int{}, MaxLeftAll: -1},
		seed:       maphash.MakeSeed(),
		minutes:    map[int64]*minuteCount{},
		names:      map[string]string{},
		rlIndex:    map[rlKey]int{},
		rlMemo:     map[uint64]RateLimit{},
		rlSeq:      map[int]int{},
		pairs:      map[[2]string]*Pair{},
		repeats:    map[uint64]*repeatCount{},
		speakers:   map[string]*Speaker{},
		toolCalls:  map[uint64]*ToolCall{},
		exceptions: map[string]int{},
	}
}

var (
	kwHTTP      = []byte("HTTP Re")
	kwTo        = []byte(" (to ")
	kwLLMCall   = []byte(`"LLMCall"`)
	dashes10    = []byte("---------- ")
	dashes10End = []byte(" ----------")
	stars5      = []byte("*****")
	arrows      = []byte(">>>>>>>>")
)

// line handles one line; full is its length before any cut.
// line handles one line (trailing blanks trimmed, analysed in s.info); full
// is its true length, which a cut line keeps for tool response sizes.
func (s *scanner) line(b []byte, full int) {
	s.n++
	s.f.Lines = s.n

	if s.ev.on {
		if s.continueEvent(b) {
			return
		}
	}
	if s.chainOn && s.n-s.chainLast > chainGapLines {
		s.closeChain("open")
	}
	s.kw = 0

	if len(b) == 0 {
		if s.msg.on {
			s.msgBody(b, 0)
		}
		return
	}

	// Transcript structure first: these lines are recognised by their start.
	switch b[0] {
	case '-':
		if isSeparator80(b) {
			s.endMessage()
			s.mode = modeNone
			return
		}
		if bytes.HasPrefix(b, dashes10) && bytes.HasSuffix(b, dashes10End) && len(b) > 22 {
			s.console04Header(b)
			return
		}
	case '*':
		if bytes.HasPrefix(b, stars5) {
			s.banner(b)
			return
		}
	case '>':
		if bytes.HasPrefix(b, arrows) {
			s.arrowsLine(b)
			return
		}
	case 'T':
		if bytes.HasPrefix(b, []byte("Traceback (most recent call last)")) {
			s.inTB = true
			return
		}
	}
	if b[len(b)-1] == ':' && len(b) > 6 && b[len(b)-2] == ')' && b[0] != ' ' && bytes.Contains(b, kwTo) {
		if s.header02(b) {
			return
		}
	}

	// Tool argument and tool response blocks of the 0.2 transcript.
	if s.inToolArgs {
		if len(s.toolArgs) < 2048 {
			s.toolArgs = append(s.toolArgs, ' ')
			s.toolArgs = append(s.toolArgs, b...)
		}
		return
	}
	if s.inToolResp {
		s.toolResp.Size += full + 1
		return
	}

	if s.mode == modeSummary04 {
		if bytes.HasPrefix(b, []byte("Finish reason:")) {
			reason := strings.TrimSpace(string(b[len("Finish reason:"):]))
			if reason != "" && reason != "None" {
				s.addTerm(reason)
			}
		}
		return
	}

	// Events: log lines, tracebacks, retry lines. Inside a transcript message
	// only lines that look like log output are examined: Python's logging
	// writes whole lines that can land in the middle of a printed message,
	// while the message text itself (a model's prose, a tool's page quoting
	// "429") is content, not an event, and is the bulk of a transcript.
	if !s.msg.on || s.inTB || s.logLike(b) {
		if s.events(b) {
			return
		}
	}
	if s.msg.on {
		s.msgBody(b, full)
	}
}

// logLike and hasHTTP read the line's analysis when the reader stage made it,
// and otherwise look at the line themselves (only lines that get this far).
func (s *scanner) logLike(b []byte) bool {
	if s.info.done {
		return s.info.logLike
	}
	return looksLogLine(b)
}

func (s *scanner) hasHTTP(b []byte) bool {
	if s.info.done {
		return s.info.http
	}
	return bytes.Contains(b, kwHTTP)
}

// looksLogLine: a line that Python logging, a traceback or an exception print
// would produce: it starts with a timestamp or bracket, a capitalised word
// (INFO, WARNING, Traceback, Retrying, HTTP ...) followed by a colon early on,
// or a dotted exception name ("openai.RateLimitError:").
func looksLogLine(b []byte) bool {
	c := b[0]
	switch {
	case c >= '0' && c <= '9', c == '[':
		return true
	case c == '{': // a JSON log record (0.4 LLMCall events)
		return bytes.Contains(b[:min(len(b), 16384)], kwLLMCall)
	case c == 'I' || c == 'W' || c == 'E' || c == 'D' || c == 'C' || c == 'T' || c == 'R' || c == 'H' || c == 'G' || c == 'B':
		return bytes.HasPrefix(b, []byte("INFO")) || bytes.HasPrefix(b, []byte("WARN")) || bytes.HasPrefix(b, []byte("ERROR")) ||
			bytes.HasPrefix(b, []byte("DEBUG")) || bytes.HasPrefix(b, []byte("CRITICAL")) || bytes.HasPrefix(b, []byte("Traceback")) ||
			bytes.HasPrefix(b, []byte("Retrying")) || bytes.HasPrefix(b, []byte("HTTP")) || bytes.HasPrefix(b, []byte("Giving up")) ||
			bytes.HasPrefix(b, []byte("Backing off")) || exceptionHead(b)
	case c == '/' || c == 'S':
		// warnings.warn output ("/path/groupchat.py:412: UserWarning: ...") and
		// AG2's "Select speaker attempt #1 failed ..."
		return bytes.Contains(b[:min(len(b), 300)], []byte(".py:")) || bytes.HasPrefix(b, []byte("Select speaker attempt")) || exceptionHead(b)
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		return exceptionHead(b)
	}
	return false
}

// exceptionHead: "name.SomeError:" or "SomeError:" at the start of a line.
func exceptionHead(b []byte) bool {
	head := b[:min(len(b), 96)]
	i := bytes.IndexByte(head, ':')
	if i <= 0 || bytes.IndexByte(head[:i], ' ') >= 0 {
		return false
	}
	name := head[:i]
	return bytes.HasSuffix(name, []byte("Error")) || bytes.HasSuffix(name, []byte("Exception")) || bytes.HasSuffix(name, []byte("Exhausted"))
}

// events looks for log events on a line; it reports whether the line was one.
func (s *scanner) events(b []byte) bool {
	if s.inTB {
		if b[0] == ' ' || b[0] == '\t' {
			s.frameHint(b)
			return true // a frame or a source line: never an event
		}
		if bytes.HasPrefix(b, []byte("During handling")) || bytes.HasPrefix(b, []byte("The above exception")) {
			return true
		}
		s.inTB = false
		s.exception(b)
		// fall through: the exception line may carry a 429 body
	} else if b[0] >= 'a' && b[0] <= 'z' && bytes.IndexByte(b[:min(len(b), 80)], ':') > 0 && hasKnownExceptionPrefix(b) {
		s.exception(b)
	}

	if (b[0] == 'S' || b[0] == '/' || b[0] == 'G' || b[0] == 'W' || b[0] == 'C' || b[0] == '[') && isSelectFailure(b) {
		s.selectFail()
		return true
	}
	// 0.4 LLMCall events: a JSON object, bare or behind a logging prefix
	// ("INFO:autogen_core.events:{...}").
	if j := bytes.IndexByte(b[:min(len(b), 160)], '{'); j >= 0 && len(b)-j > 20 && bytes.Contains(b[j:min(len(b), j+16384)], kwLLMCall) {
		s.llmCall(b)
		return true
	}
	// 0.4 Console with output_stats=True: "[Prompt tokens: 812, Completion tokens: 96]"
	if b[0] == '[' && bytes.HasPrefix(b, []byte("[Prompt tokens: ")) {
		if n, ok := leadingInt(b[len("[Prompt tokens: "):]); ok {
			s.promptTokens(n)
		}
		return true
	}

	// httpx lines are the commonest log line: a SIMD search for "HTTP Re"
	// settles them before the byte-by-byte keyword pass.
	if s.hasHTTP(b) && s.httpLine(b) {
		return true
	}
	if s.info.kwDone {
		s.kw = int(s.info.kw)
	} else {
		s.kw = keywordFlags(b)
	}
	kw := s.kw
	if kw&(kwfRetry|kwfLeft|kwf429|kwfLimit|kwfBackoff|kwfOverloaded|kwfQuota|kwfExhausted|kwfAttempt) == 0 {
		return false
	}
	if kw&(kwf429|kwfLimit) != 0 && kw&(kwfRetry|kwfBackoff|kwfAttempt) == 0 && hasWaitWord(b) {
		s.appWaitLine(b) // "Rate limit exceeded. Waiting for 10 seconds."
	}
	if kw&(kwfRetry|kwfLeft|kwfBackoff|kwfAttempt) != 0 && s.retryLine(b) {
		return true // an SDK retry line: it carries no error body
	}
	return s.rateLimitLine(b)
}

// splitException splits a traceback's last line "pkg.mod.SomeError: message"
// (or a bare "SomeError") into type and message, by hand: it runs on every
// traceback end.
func splitException(b []byte) (typ, msg []byte, ok bool) {
	i := 0
	for i < len(b) {
		c := b[i]
		if c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (i > 0 && c >= '0' && c <= '9') {
			i++
			continue
		}
		break
	}
	if i == 0 || (i < len(b) && b[i] != ':') {
		return nil, nil, false
	}
	typ = b[:i]
	ok = false
	for _, suf := range []string{"Error", "Exception", "Exhausted", "Overloaded", "Timeout", "Full"} {
		if bytes.HasSuffix(typ, []byte(suf)) {
			ok = true
			break
		}
	}
	if !ok {
		return nil, nil, false
	}
	if i < len(b) {
		msg = bytes.TrimLeft(b[i+1:], " ")
	}
	return typ, msg, true
}

func hasKnownExceptionPrefix(b []byte) bool {
	for _, p := range []string{"openai.", "anthropic.", "tenacity.", "litellm.", "google.api_core.", "groq.", "autogen"} {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// frameHint reads which AutoGen generation a traceback frame comes from:
// 0.4+ packages are autogen_agentchat/autogen_core/autogen_ext, 0.2/AG2 code
// lives under autogen/agentchat and autogen/oai.
func (s *scanner) frameHint(b []byte) {
	if !bytes.Contains(b, []byte("File \"")) || !bytes.Contains(b, []byte("autogen")) {
		return
	}
	switch {
	case bytes.Contains(b, []byte("autogen_agentchat")) || bytes.Contains(b, []byte("autogen_core")) || bytes.Contains(b, []byte("autogen_ext")):
		s.hint04++
	case bytes.Contains(b, []byte("agentchat")) || bytes.Contains(b, []byte("oai")):
		s.hint02++
	}
}

func (s *scanner) exception(b []byte) {
	line := b
	if len(line) > 4096 {
		line = line[:4096]
	}
	typB, msgB, ok := splitException(line)
	if !ok {
		return
	}
	s.excLine = s.n
	// The key is built in a reused buffer: a map lookup with string(bytes)
	// does not allocate, and most exception lines repeat an earlier one.
	s.exKey = append(append(append(s.exKey[:0], typB...), 0), msgB[:min(len(msgB), 300)]...)
	if i, ok := s.exceptions[string(s.exKey)]; ok {
		s.f.Exceptions[i].Count++
	} else if len(s.f.Exceptions) < maxExceptions {
		s.exceptions[string(s.exKey)] = len(s.f.Exceptions)
		raw := truncate(string(msgB[:min(len(msgB), 1200)]), 300)
		s.f.Exceptions = append(s.f.Exceptions, Exception{Line: s.n, Type: string(typB), Message: cleanMessage(raw), Count: 1})
	}
	if s.chainOn && bytes.Contains(typB, []byte("Error")) {
		s.closeChain("error")
	}
}

// httpLine reads httpx's `HTTP Request: POST URL "HTTP/1.1 429 Too Many Requests"`
// and openai's DEBUG `HTTP Response: POST URL "429 Too Many Requests" Headers(...)`.
func (s *scanner) httpLine(b []byte) bool {
	i := bytes.Index(b, kwHTTP)
	rest := b[i+len(kwHTTP):]
	var isReq bool
	switch {
	case bytes.HasPrefix(rest, []byte("quest: ")):
		isReq = true
	case bytes.HasPrefix(rest, []byte("sponse: ")):
	default:
		return false
	}
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return false
	}
	st := rest[q+1:]
	if bytes.HasPrefix(st, []byte("HTTP/")) {
		sp := bytes.IndexByte(st, ' ')
		if sp < 0 {
			return false
		}
		st = st[sp+1:]
	}
	if len(st) < 3 || !digits(st[:3]) {
		return false
	}
	status := num(st[:3])
	// Only model calls: httpx also logs other requests (tool HTTP calls).
	url := rest[:q]
	if !isReq {
		// DEBUG "HTTP Response" duplicates httpx's INFO line; count it only when
		// httpx lines are absent (decided in finish()).
		s.respStatus[status%len(s.respStatus)]++
	} else {
		s.reqStatus[status%len(s.reqStatus)]++
	}
	_ = url
	ts, ok := s.timestamp(b)
	mc := s.minute(ts, ok)
	if isReq {
		if mc != nil {
			mc.http++
			if status == 429 {
				mc.rl429++
			}
		}
		s.f.HTTPRequests++
		if status == 429 {
			s.f.HTTP429++
		}
	}
	s.seq++
	if isReq || s.reqStatus[200]+s.reqStatus[429] == 0 {
		s.httpStatus(status)
	}
	return true
}

// timestamp is parseTimestamp with a one-line cache: consecutive lines of a
// log share the minute, so when the same 16 bytes ("2024-11-20 09:00") sit at
// the same place as on the last timestamped line, the minute is reused.
func (s *scanner) timestamp(b []byte) (time.Time, bool) {
	if s.tsOK && s.tsOff+16 <= len(b) && bytes.Equal(b[s.tsOff:s.tsOff+16], s.tsKey[:]) {
		return s.tsMinute, true
	}
	ts, off, ok := parseTimestampAt(b)
	if !ok {
		return ts, false
	}
	if off+16 <= len(b) {
		s.tsOK, s.tsOff = true, off
		copy(s.tsKey[:], b[off:off+16])
		s.tsMinute = ts.Truncate(time.Minute)
	}
	return ts, true
}

func (s *scanner) minute(ts time.Time, ok bool) *minuteCount {
	if !ok {
		return nil
	}
	sec := ts.Unix()
	k := sec / 60
	if sec < 0 && sec%60 != 0 { // floor, so year-less timestamps bucket by whole minutes too
		k--
	}
	if s.lastMin != nil && s.lastMinKey == k {
		return s.lastMin // consecutive lines share their minute
	}
	mc := s.minutes[k]
	if mc == nil {
		if len(s.minutes) >= maxMinutes {
			return nil
		}
		mc = &minuteCount{line: s.n}
		s.minutes[k] = mc
	}
	s.lastMin, s.lastMinKey = mc, k
	return mc
}

func (s *scanner) httpStatus(status int) {
	if s.chainOn {
		s.chain.Attempts++
		s.chainLast = s.n
		s.chain.EndLine = s.n
		if status == 429 {
			s.chain.RateLimited++
		}
		if status < 400 {
			s.closeChain("ok")
		}
		return
	}
	if status == 429 || status == 529 {
		s.openChain()
		s.chain.Attempts = 1
		s.chain.RateLimited = 1
	}
}

func (s *scanner) openChain() {
	s.chain = Request{Line: s.n, EndLine: s.n, MaxLeft: -1, Outcome: "open"}
	s.chainOn = true
	s.chainLast = s.n
	s.lastSDK = 0
	s.appSinceSDK = false
	s.sdkRun = 0
	s.appAttempt = 0
}

func (s *scanner) closeChain(outcome string) {
	if !s.chainOn {
		return
	}
	s.chainOn = false
	s.chain.Outcome = outcome
	if s.chain.SDKRetries+s.chain.AppRetries == 0 {
		return
	}
	if len(s.f.Requests) < maxRequests {
		s.f.Requests = append(s.f.Requests, s.chain)
	}
}

func (s *scanner) addLayer(l string) {
	for _, x := range s.chain.Layers {
		if x == l {
			return
		}
	}
	s.chain.Layers = append(s.chain.Layers, l)
}

var (
	reLeft     = regexp.MustCompile(`\b(\d+) retr(?:ies|y) left`)
	reTenacity = regexp.MustCompile(`Retrying (\S+) in (\d+(?:\.\d+)?) seconds as it (?:raised|returned)`)
	reBackoff  = regexp.MustCompile(`Backing off (\S+)\(\.\.\.\) for (\d+(?:\.\d+)?)s`)
	reGiveUp   = regexp.MustCompile(`Giving up (\S+)\(\.\.\.\) after (\d+) tries`)
	reAppRetry = regexp.MustCompile(`(?i)\bretry(?:ing)?\b[^.]{0,40}?\b(?:in|after|for)\s+(\d+(?:\.\d+)?)\s*(?:s\b|sec|seconds?)`)
	// An app's own attempt counter: "attempt 2/5", "Attempt 3 of 5", "Attempt 3
	// failed", "retry 2/3". The number is what matters: attempt 2 is a retry.
	// "Attempt #3" and "(attempt 2)" (a tenacity before_sleep print) count too.
	reAttempt = regexp.MustCompile(`(?i)\b(attempt|retry)\s*(?:#\s*(\d{1,3})|(\d{1,3})\s*(?:(?:/|of)\s*\d{1,3}\b|:?\s*(?:failed|failure|error|raised)|\)))`)
)

// sdkRetryDelay reads openai/anthropic's "Retrying request to /chat/completions
// in 0.915115 seconds" (and the newer "Retrying request in 0.9 seconds")
// without a regular expression: these lines are frequent.
func sdkRetryDelay(b []byte) (time.Duration, bool) {
	i := bytes.Index(b, []byte("Retrying request "))
	if i < 0 {
		return 0, false
	}
	rest := b[i+len("Retrying request "):]
	if bytes.HasPrefix(rest, []byte("to ")) {
		sp := bytes.IndexByte(rest[3:], ' ')
		if sp < 0 {
			return 0, false
		}
		rest = rest[3+sp+1:]
	}
	if !bytes.HasPrefix(rest, []byte("in ")) {
		return 0, false
	}
	rest = rest[3:]
	j := 0
	for j < len(rest) && (isDigit(rest[j]) || rest[j] == '.') {
		j++
	}
	if j == 0 || !bytes.HasPrefix(rest[j:], []byte(" second")) {
		return 0, false
	}
	return seconds(string(rest[:j])), true
}

// retryLine reads the retry lines of the SDKs, tenacity, backoff and apps.
func (s *scanner) retryLine(b []byte) bool {
	text := b
	if len(text) > 2048 {
		text = text[:2048]
	}
	if d, ok := sdkRetryDelay(text); ok {
		if s.chainOn && s.chain.SDKRetries > 0 && !s.appSinceSDK && d < s.lastSDK/2 && d <= 600*time.Millisecond {
			// The backoff restarted at its first delay: another request.
			s.closeChain("open")
		}
		if !s.chainOn {
			s.openChain()
			s.chain.Attempts = 1
		}
		s.chain.SDKRetries++
		s.sdkRun++
		if s.sdkRun > s.chain.MaxSDKRun {
			s.chain.MaxSDKRun = s.sdkRun
		}
		if len(s.chain.Delays) < maxDelays {
			s.chain.Delays = append(s.chain.Delays, d)
		}
		s.addLayer("sdk")
		s.lastSDK = d
		s.appSinceSDK = false
		s.touchChain()
		s.addRetry(Retry{Line: s.n, Delay: d, Layer: "sdk", Left: -1}, b)
		return true
	}
	if m := reLeft.FindSubmatch(text); m != nil && bytes.Contains(text, []byte("left")) {
		left := int(atoi(string(m[1])))
		if s.chainOn && left > s.chain.MaxLeft {
			s.chain.MaxLeft = left
		}
		if left > s.f.MaxLeftAll {
			s.f.MaxLeftAll = left
		}
		return true
	}
	if bytes.Contains(text, []byte("Retrying due to status code")) {
		return true
	}
	layer, d, ok := "", time.Duration(0), false
	if m := reTenacity.FindSubmatch(text); m != nil {
		layer, d, ok = "tenacity", seconds(string(m[2])), true
		s.retryExc = s.n
	} else if m := reBackoff.FindSubmatch(text); m != nil {
		layer, d, ok = "backoff", seconds(string(m[2])), true
		s.retryExc = s.n
	} else if m := reGiveUp.FindSubmatch(text); m != nil {
		s.addRetry(Retry{Line: s.n, Layer: "backoff-giveup", Left: -1}, b)
		s.closeChain("error")
		return false // the line may carry the 429 text too
	} else if m := reAppRetry.FindSubmatchIndex(text); m != nil && !bytes.Contains(text, []byte("Retrying request")) && !providerHint(text, m[0]) {
		layer, d, ok = "app", seconds(string(text[m[2]:m[3]])), true
	} else if m := reAttempt.FindSubmatch(text); m != nil && !bytes.Contains(text, []byte("peaker")) {
		return s.appAttemptLine(b, m)
	}
	if !ok {
		return false
	}
	if !s.chainOn {
		s.openChain()
	}
	s.chain.AppRetries++
	s.sdkRun = 0
	s.addLayer(layer)
	s.appSinceSDK = true
	s.touchChain()
	s.addRetry(Retry{Line: s.n, Delay: d, Layer: layer, Left: -1}, b)
	return false // tenacity and backoff lines also carry the exception text
}

// providerHint: the "retry after N seconds" at i is the provider's advice
// inside a 429 body (Azure's "Please retry after 3 seconds"), not a retry.
func providerHint(text []byte, i int) bool {
	const please = "please "
	return i >= len(please) && bytes.EqualFold(text[i-len(please):i], []byte(please))
}

// reAppWait: an app that waits after a 429 without saying "retry" ("Rate limit
// exceeded. Waiting for 10 seconds.", "429 received, sleeping 20s").
var reAppWait = regexp.MustCompile(`(?i)(?:rate limit|429|too many requests)[^\n]{0,80}?\b(?:waiting|sleeping|sleep|wait)(?: for)?\s+(\d+(?:\.\d+)?)\s*(?:s\b|sec|seconds?)`)

func hasWaitWord(b []byte) bool {
	return bytes.Contains(b, []byte("ait")) || bytes.Contains(b, []byte("leep"))
}

// appWaitLine counts an app's wait after a 429 as an app-level retry.
func (s *scanner) appWaitLine(b []byte) {
	text := b[:min(len(b), 2048)]
	m := reAppWait.FindSubmatch(text)
	if m == nil {
		return
	}
	if !s.chainOn {
		s.openChain()
	}
	s.chain.AppRetries++
	s.sdkRun = 0
	s.addLayer("app")
	s.appSinceSDK = true
	s.touchChain()
	s.addRetry(Retry{Line: s.n, Delay: seconds(string(m[1])), Layer: "app", Left: -1}, b)
}

// appAttemptLine reads an app's attempt counter. Attempt n (n >= 2, or retry
// n >= 1) is one app-level retry of the chain; a counter that goes back down is
// a new operation. The line has no wait in it, so the retry's delay is -1.
func (s *scanner) appAttemptLine(b []byte, m [][]byte) bool {
	n := int(atoi(string(m[2]) + string(m[3])))
	if bytes.EqualFold(m[1], []byte("retry")) {
		n++ // retry 1 is attempt 2
	}
	if s.chainOn && n < s.appAttempt {
		s.closeChain("open")
	}
	if n < 2 || (s.chainOn && n == s.appAttempt) {
		if s.chainOn {
			s.appAttempt = n
		}
		return false
	}
	if !s.chainOn {
		s.openChain()
	}
	s.appAttempt = n
	s.chain.AppRetries++
	s.sdkRun = 0
	s.addLayer("app")
	s.appSinceSDK = true
	s.touchChain()
	s.addRetry(Retry{Line: s.n, Delay: -1, Layer: "app", Left: -1}, b)
	return false // the line may carry the error text too
}

func (s *scanner) touchChain() {
	s.chainLast = s.n
	s.chain.EndLine = s.n
}

func (s *scanner) addRetry(r Retry, b []byte) {
	s.seq++
	s.f.RetriesN++
	if len(s.f.Retries) >= maxRetries {
		return
	}
	r.Text = truncate(cleanMessage(string(b[:min(len(b), 400)])), 200)
	s.f.Retries = append(s.f.Retries, r)
}

// rateLimitLine starts a rate-limit event on a line that names one.
func (s *scanner) rateLimitLine(b []byte) bool {
	head := b
	if len(head) > maxEventBytes {
		head = head[:maxEventBytes]
	}
	s.lower = appendLower(s.lower[:0], head) // reused: most lines that get here are not 429s
	if !looksRateLimitedBytes(s.lower) || bytes.Contains(s.lower, []byte("retrying due to status code")) {
		return false
	}
	ts, ok := s.timestamp(b)
	raised := s.excLine == s.n || s.retryExc == s.n
	s.ev = event{on: true, line: s.n, lines: 1, buf: append(s.ev.buf[:0], head...), ts: ts, hasTS: ok, raised: raised}
	s.ev.depth = braceDepth(head)
	// "RateLimitError:" or "Error code: 429 -" at the end of a line: the body
	// follows on the next lines (a dict printed over several lines).
	if t := bytes.TrimSpace(head); len(t) > 0 && (t[len(t)-1] == ':' || bytes.HasSuffix(t, []byte("429 -"))) && s.ev.depth == 0 {
		s.ev.colon = true
		s.ev.depth = 1
	}
	if s.ev.depth <= 0 {
		s.finishEvent()
	}
	return true
}

// continueEvent adds a line to an open multi-line event; it reports whether
// the line was taken.
func (s *scanner) continueEvent(b []byte) bool {
	if len(b) == 0 || s.ev.lines >= maxEventLines || len(s.ev.buf) >= maxEventBytes {
		s.finishEvent()
		return false
	}
	room := maxEventBytes - len(s.ev.buf)
	part := b[:min(len(b), room)]
	s.ev.buf = append(s.ev.buf, ' ')
	s.ev.buf = append(s.ev.buf, part...)
	s.ev.lines++
	if s.ev.colon {
		s.ev.colon = false
		s.ev.depth--
		if s.ev.line == s.n-1 {
			s.ev.line = s.n // the body, not the lead-in, is the evidence
			s.ev.buf = append(s.ev.buf[:0], part...)
			s.ev.lines = 1
			s.ev.depth = braceDepth(part)
			if s.ev.depth <= 0 {
				s.finishEvent()
			}
			return true
		}
	}
	s.ev.depth += braceDepth(part)
	if s.ev.depth <= 0 {
		s.finishEvent()
	}
	return true
}

// braceDepth counts open minus closed brackets outside quotes (roughly: quotes
// inside Python reprs are balanced on a line, so a per-line count is enough).
func braceDepth(b []byte) int {
	d := 0
	for _, c := range b {
		switch c {
		case '{', '[':
			d++
		case '}', ']':
			d--
		}
	}
	return d
}

func (s *scanner) finishEvent() {
	if !s.ev.on {
		return
	}
	s.ev.on = false
	h := fnvBytes(s.ev.buf)
	rl, seen := s.rlMemo[h]
	if !seen {
		var ok bool
		rl, ok = parseRateLimit(string(s.ev.buf))
		if !ok {
			rl.Status = -1
		}
		if len(s.rlMemo) < 1000 {
			s.rlMemo[h] = rl
		}
	}
	if rl.Status == -1 {
		return
	}
	rl.Line = s.ev.line
	rl.EndLine = s.ev.line + s.ev.lines - 1
	rl.Raised = s.ev.raised
	s.addRateLimit(rl)
	if mc := s.minute(s.ev.ts, s.ev.hasTS); mc != nil {
		mc.rlEvents++
	}
	if s.chainOn {
		s.touchChain()
	}
}

// rlKey is what makes two rate-limit messages the same event.
type rlKey struct {
	provider Provider
	via      string
	kind     Kind
	limit    int64
	model    string
	code     string
}

func (s *scanner) addRateLimit(rl RateLimit) {
	s.f.RateLimitsN++
	key := rlKey{rl.Provider, rl.Via, rl.Kind, rl.Limit, rl.Model, rl.Code}
	if i, ok := s.rlIndex[key]; ok {
		e := &s.f.RateLimits[i]
		// The same 429 printed again within a traceback chain (no request or
		// retry in between) is one event.
		if s.rlSeq[i] != s.seq || rl.Line-e.LastLine > 40 {
			e.Count++
		}
		s.rlSeq[i] = s.seq
		e.LastLine = rl.Line
		if rl.Requested > e.Requested {
			e.Requested = rl.Requested
		}
		if rl.RetryAfter > e.RetryAfter {
			e.RetryAfter = rl.RetryAfter
		}
		e.Raised = e.Raised || rl.Raised
		return
	}
	if len(s.f.RateLimits) >= maxRateLimits {
		return
	}
	rl.Count = 1
	rl.LastLine = rl.Line
	rl.Message = cleanMessage(rl.Message) // masked once, for the kept entry only
	s.rlSeq[len(s.f.RateLimits)] = s.seq
	s.rlIndex[key] = len(s.f.RateLimits)
	s.f.RateLimits = append(s.f.RateLimits, rl)
}

func (s *scanner) llmCall(b []byte) {
	ts, ok := s.timestamp(b)
	if mc := s.minute(ts, ok); mc != nil {
		mc.llm++
	}
	s.llmCalls++ // folded into HTTPRequests in finish() when there are no HTTP lines
	if i := bytes.LastIndex(b, []byte(`"prompt_tokens": `)); i >= 0 {
		if n, ok := leadingInt(b[i+len(`"prompt_tokens": `):]); ok {
			s.promptTokens(n)
		}
	}
}

// promptTokens records one call's prompt size (context growth).
func (s *scanner) promptTokens(n int) {
	p := &s.f.Prompt
	if p.Calls == 0 {
		p.First, p.FirstLine = n, s.n
	}
	if n > p.Max {
		p.Max, p.MaxLine = n, s.n
	}
	p.Last, p.LastLine = n, s.n
	p.Calls++
}

func leadingInt(b []byte) (int, bool) {
	n, i := 0, 0
	for i < len(b) && i < 12 && isDigit(b[i]) {
		n = n*10 + int(b[i]-'0')
		i++
	}
	return n, i > 0
}

// isSeparator80 is AutoGen 0.2's message separator: exactly 80 dashes.
func isSeparator80(b []byte) bool {
	if len(b) != 80 {
		return false
	}
	for _, c := range b {
		if c != '-' {
			return false
		}
	}
	return true
}

// header02 reads `Sender (to Recipient):`.
// hasAnyByte is bytes.ContainsAny for three bytes, without building a set.
func hasAnyByte(b []byte, x, y, z byte) bool {
	for _, c := range b {
		if c == x || c == y || c == z {
			return true
		}
	}
	return false
}

func (s *scanner) header02(b []byte) bool {
	i := bytes.LastIndex(b, kwTo)
	if i <= 0 || i > 100 {
		return false
	}
	senderB, toB := bytes.TrimSpace(b[:i]), b[i+len(kwTo):len(b)-2]
	if len(senderB) == 0 || len(toB) == 0 || len(toB) > 100 || hasAnyByte(toB, '(', ')', ')') || hasAnyByte(senderB, '"', '\'', '=') {
		return false
	}
	sender, to := s.intern(senderB), s.intern(toB)
	s.endMessage()
	s.gen02++
	s.mode = modeMsg02
	s.msg = message{on: true, sender: sender, to: to, line: s.n, hash: fnvOffset, preview: s.msg.preview[:0]}
	return true
}

// intern returns a string for an agent name, allocating each name once.
func (s *scanner) intern(b []byte) string {
	if v, ok := s.names[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(s.names) < 1000 {
		s.names[v] = v
	}
	return v
}

// console04Header reads `---------- TextMessage (agent) ----------`, the older
// `---------- agent ----------` and `---------- Summary ----------`.
func (s *scanner) console04Header(b []byte) {
	inner := strings.TrimSpace(string(b[len(dashes10) : len(b)-len(dashes10End)]))
	if inner == "" || len(inner) > 120 {
		return
	}
	s.endMessage()
	s.gen04++
	if inner == "Summary" {
		s.mode = modeSummary04
		return
	}
	class, src := "", inner
	if o := strings.LastIndexByte(inner, '('); o > 0 && strings.HasSuffix(inner, ")") {
		class = strings.TrimSpace(inner[:o])
		src = inner[o+1 : len(inner)-1]
	}
	s.mode = modeMsg04
	s.msg = message{on: true, sender: src, class: class, line: s.n, hash: fnvOffset, preview: s.msg.preview[:0]}
	sp := s.speakers[src]
	if sp == nil {
		if len(s.speakers) < 1000 {
			sp = &Speaker{Name: src, Line: s.n}
			s.speakers[src] = sp
			s.spOrder = append(s.spOrder, src)
		}
	}
	if sp != nil {
		sp.Messages++
	}
	if src != s.prevSrc && s.prevSrc != "" && isTurnClass(class) {
		s.msg.to = s.prevSrc
	}
	if isTurnClass(class) {
		s.prevSrc = src
	}
}

// isTurnClass: messages that are a turn of the conversation (not tool events).
func isTurnClass(class string) bool {
	switch class {
	case "", "TextMessage", "HandoffMessage", "StopMessage", "StructuredMessage", "MultiModalMessage", "ToolCallSummaryMessage":
		return true
	}
	return false
}

// banner reads 0.2 `***** ... *****` lines: tool calls, tool responses and their ends.
func (s *scanner) banner(b []byte) {
	if len(bytes.Trim(b, "*")) == 0 { // a closing line: the common case, no allocation
		s.closeBanner()
		return
	}
	if !bytes.HasPrefix(b, []byte("***** Suggested ")) && !bytes.HasPrefix(b, []byte("***** Response from calling ")) {
		return
	}
	s.msg.banner = true
	txt := string(b)
	switch {
	case strings.HasPrefix(txt, "***** Suggested tool call ("), strings.HasPrefix(txt, "***** Suggested function call: "):
		name := strings.TrimSpace(strings.Trim(txt, "* "))
		if k := strings.LastIndex(name, ": "); k >= 0 {
			name = name[k+2:]
		}
		s.inToolArgs, s.toolName, s.toolLine, s.toolArgs = true, name, s.n, s.toolArgs[:0]
		return
	case strings.HasPrefix(txt, "***** Response from calling "):
		id := ""
		if o := strings.IndexByte(txt, '('); o > 0 {
			if c := strings.IndexByte(txt[o:], ')'); c > 0 {
				id = txt[o+1 : o+c]
			}
		}
		s.inToolResp = true
		s.toolResp = ToolResult{Line: s.n, ID: id}
		return
	}
}

// closeBanner ends a tool-call or tool-response block.
func (s *scanner) closeBanner() {
	if s.inToolArgs {
		s.inToolArgs = false
		args := bytes.TrimPrefix(bytes.TrimSpace(s.toolArgs), []byte("Arguments:"))
		s.addToolCall(s.toolName, args, s.toolLine)
	}
	if s.inToolResp {
		s.inToolResp = false
		s.toolResp.EndLine = s.n
		s.addToolResult(s.toolResp)
	}
}

func (s *scanner) arrowsLine(b []byte) {
	txt := strings.TrimSpace(string(bytes.TrimLeft(b, ">")))
	switch {
	case strings.HasPrefix(txt, "TERMINATING RUN"):
		reason := txt
		if k := strings.Index(txt, "): "); k > 0 {
			reason = txt[k+3:]
		}
		s.addTerm(reason)
	case strings.HasPrefix(txt, "Select speaker attempt") && strings.Contains(txt, "failed"):
		s.selectFail()
	}
}

// isSelectFailure: 0.2's warning "GroupChat select_speaker failed to resolve
// the next speaker's name" (possibly behind warnings' "file.py:N: UserWarning: ")
// and AG2's "Select speaker attempt #N failed as it did not include any agent names".
func isSelectFailure(b []byte) bool {
	if bytes.HasPrefix(b, []byte("Select speaker attempt")) {
		return bytes.Contains(b, []byte("failed"))
	}
	// Every message line is asked this: look for the rare '_' first (a SIMD
	// byte search), then for the phrase from six bytes before it.
	i := bytes.IndexByte(b, '_')
	return i >= 6 && bytes.Contains(b[i-6:], []byte("select_speaker failed to resolve"))
}

func (s *scanner) selectFail() {
	s.f.SelectSpeakerFailures++
	if s.f.SelectSpeakerLine == 0 {
		s.f.SelectSpeakerLine = s.n
	}
}

func (s *scanner) addTerm(reason string) {
	if len(s.f.Terminations) >= maxTerms {
		return
	}
	r := truncate(reason, 200)
	s.f.Terminations = append(s.f.Terminations, Termination{Line: s.n, Reason: r, Cap: strings.HasPrefix(r, "Maximum")})
}

var reFunctionCall = regexp.MustCompile(`FunctionCall\(id='[^']*', arguments='((?:[^'\\]|\\.)*)', name='([^']*)'\)`)

// msgBody adds one body line to the current message.
func (s *scanner) msgBody(b []byte, full int) {
	m := &s.msg
	if len(b) > 0 {
		m.hasBody = true
	}
	m.size += full + 1
	if len(m.preview) < 200 {
		m.preview = append(m.preview, b[:min(len(b), 200-len(m.preview))]...)
		m.preview = append(m.preview, ' ')
	}
	lh := s.info.hash
	if !s.info.hashed {
		lh = lineHash(s.seed, b)
	}
	m.hash = (bits.RotateLeft64(m.hash, 7) ^ lh) * fnvPrime
	if !m.mentions && (s.info.done && s.info.term || !s.info.done && bytes.Contains(b, []byte("TERMINATE"))) {
		m.mentions = true
	}
	if s.mode == modeMsg04 && m.class == "ToolCallRequestEvent" {
		head := b[:min(len(b), 8192)]
		for _, fc := range reFunctionCall.FindAllSubmatch(head, -1) {
			s.addToolCall(string(fc[2]), fc[1], s.n)
		}
	}
	if s.mode == modeMsg04 && m.class == "ToolCallExecutionEvent" && m.to == "" {
		// The name follows the (possibly huge) content: look from the end.
		if i := bytes.LastIndex(b, []byte("', name='")); i >= 0 {
			rest := b[i+len("', name='"):]
			if j := bytes.IndexByte(rest, '\''); j > 0 && j < 200 {
				m.to = string(rest[:j]) // tool name, kept in the unused recipient slot
			}
		}
	}
	if len(b) > 0 && isSelectFailure(b) {
		s.selectFail()
	}
}

// emptyMsgHash stands for the text of an empty message.
const emptyMsgHash = 0x9e3779b97f4a7c15

// endMessage closes the current transcript message: pair turns, repeats, tool results.
func (s *scanner) endMessage() {
	if s.inToolArgs {
		s.inToolArgs = false
		s.addToolCall(s.toolName, bytes.TrimSpace(s.toolArgs), s.toolLine)
	}
	if s.inToolResp {
		s.inToolResp = false
		s.toolResp.EndLine = s.n - 1
		s.addToolResult(s.toolResp)
	}
	m := &s.msg
	if !m.on {
		return
	}
	m.on = false
	if s.mode == modeMsg04 && m.class == "ToolCallExecutionEvent" {
		s.addToolResult(ToolResult{Line: m.line + 1, EndLine: s.n - 1, Name: m.to, Size: m.size})
		return
	}
	if s.mode == modeMsg04 && !isTurnClass(m.class) {
		return
	}
	s.f.Messages++
	if m.to != "" {
		s.pairTurn(m.sender, m.to, m.line)
	}
	h := m.hash ^ fnvString(m.sender)
	if !m.hasBody && !m.banner && s.mode == modeMsg02 && m.to != "" {
		// An empty 0.2 message: an agent with no human input and nothing to run
		// auto-replies with nothing, over and over (a group chat's admin, a
		// user proxy after a reply with no code).
		h = emptyMsgHash ^ fnvString(m.sender)
		m.preview = append(m.preview[:0], "(an empty message)"...)
	} else if !m.hasBody || m.size < 8 {
		return
	}
	r := s.repeats[h]
	if r == nil {
		if len(s.repeats) >= maxHashes {
			return
		}
		r = &repeatCount{r: Repeat{Text: string(bytes.TrimSpace(m.preview)), Sender: m.sender, Line: m.line}}
		s.repeats[h] = r
	} else if m.to != "" {
		if p := s.pairs[pairKey(m.sender, m.to)]; p != nil {
			p.Repeats++
		}
	}
	r.r.Count++
	r.r.LastLine = m.line
	if m.to != "" {
		if p := s.pairs[pairKey(m.sender, m.to)]; p != nil {
			p.LastTerms = m.mentions
		}
	}
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

func (s *scanner) pairTurn(from, to string, line int) {
	k := pairKey(from, to)
	p := s.pairs[k]
	if p == nil {
		if len(s.pairs) >= 1000 {
			return
		}
		a, b := from, to
		p = &Pair{A: a, B: b, Line: line}
		s.pairs[k] = p
		s.pairOrder = append(s.pairOrder, k)
	}
	p.Turns++
	p.EndLine = line
}

func (s *scanner) addToolCall(name string, args []byte, line int) {
	if name == "" {
		return
	}
	h := normHash(fnvString(name), args)
	tc := s.toolCalls[h]
	if tc == nil {
		if len(s.toolCalls) >= maxHashes {
			return
		}
		// Whitespace is squeezed (and the text masked) in finish(), only for
		// the calls that are kept.
		tc = &ToolCall{Name: name, Args: string(args[:min(len(args), 400)]), Line: line}
		s.toolCalls[h] = tc
	}
	tc.Count++
	tc.LastLine = line
}

func (s *scanner) addToolResult(tr ToolResult) {
	s.f.ToolResultN++
	if len(s.f.ToolResults) < maxToolResults {
		s.f.ToolResults = append(s.f.ToolResults, tr)
		return
	}
	// Keep the largest: replace the smallest kept one.
	small := 0
	for i, x := range s.f.ToolResults {
		if x.Size < s.f.ToolResults[small].Size {
			small = i
		}
	}
	if tr.Size > s.f.ToolResults[small].Size {
		s.f.ToolResults[small] = tr
	}
}

// finish closes open state and turns the maps into sorted lists.
func (s *scanner) finish() {
	s.finishEvent()
	s.endMessage()
	s.closeChain("open")
	f := s.f

	// Requests in the timeline: httpx lines when there are any, else openai
	// DEBUG responses, else 0.4 LLMCall events.
	useHTTP := f.HTTPRequests > 0
	for st, n := range s.reqStatus {
		if n > 0 {
			f.StatusCounts[st] = n
		}
	}
	if !useHTTP {
		for st, n := range s.respStatus {
			if n > 0 {
				f.HTTPRequests += n
				f.StatusCounts[st] += n
				if st == 429 {
					f.HTTP429 += n
				}
			}
		}
		if f.HTTPRequests == 0 {
			f.HTTPRequests = s.llmCalls
		}
	}
	keys := make([]int64, 0, len(s.minutes))
	for k := range s.minutes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, k := range keys {
		mc := s.minutes[k]
		m := Minute{Start: time.Unix(k*60, 0).UTC(), Line: mc.line}
		switch {
		case useHTTP:
			m.Requests, m.RateLimited = mc.http, mc.rl429
		default:
			m.Requests, m.RateLimited = mc.llm, mc.rlEvents
		}
		if m.Requests == 0 && m.RateLimited == 0 {
			m.RateLimited = mc.rlEvents
		}
		if m.Requests == 0 && m.RateLimited == 0 {
			continue
		}
		f.Timeline = append(f.Timeline, m)
	}

	for _, k := range s.pairOrder {
		f.Pairs = append(f.Pairs, *s.pairs[k])
	}
	sort.SliceStable(f.Pairs, func(i, j int) bool { return f.Pairs[i].Turns > f.Pairs[j].Turns })
	for _, k := range s.spOrder {
		f.Speakers = append(f.Speakers, *s.speakers[k])
	}
	for _, r := range s.repeats {
		if r.r.Count >= 3 {
			f.Repeats = append(f.Repeats, r.r)
		}
	}
	for i := range f.Repeats {
		f.Repeats[i].Text = truncate(cleanMessage(f.Repeats[i].Text), 200)
	}
	sort.Slice(f.Repeats, func(i, j int) bool {
		if f.Repeats[i].Count != f.Repeats[j].Count {
			return f.Repeats[i].Count > f.Repeats[j].Count
		}
		return f.Repeats[i].Line < f.Repeats[j].Line
	})
	if len(f.Repeats) > 20 {
		f.Repeats = f.Repeats[:20]
	}
	for _, tc := range s.toolCalls {
		f.ToolCalls = append(f.ToolCalls, *tc)
	}
	sort.Slice(f.ToolCalls, func(i, j int) bool {
		if f.ToolCalls[i].Count != f.ToolCalls[j].Count {
			return f.ToolCalls[i].Count > f.ToolCalls[j].Count
		}
		return f.ToolCalls[i].Line < f.ToolCalls[j].Line
	})
	if len(f.ToolCalls) > 50 {
		f.ToolCalls = f.ToolCalls[:50]
	}
	for i := range f.ToolCalls {
		compact := strings.Join(strings.Fields(f.ToolCalls[i].Args), " ")
		f.ToolCalls[i].Args = truncate(cleanMessage(compact), 200)
	}
	sort.Slice(f.ToolResults, func(i, j int) bool { return f.ToolResults[i].Line < f.ToolResults[j].Line })

	switch {
	case s.gen02 > 0 && s.gen02 >= s.gen04:
		f.Generation = "0.2"
	case s.gen04 > 0:
		f.Generation = "0.4"
	case s.hint02 > s.hint04:
		f.Generation = "0.2"
	case s.hint04 > 0:
		f.Generation = "0.4"
	}
	count := map[Provider]int{}
	best := Provider("")
	for _, rl := range f.RateLimits {
		count[rl.Provider] += rl.Count
		if best == "" || count[rl.Provider] > count[best] {
			best = rl.Provider
		}
	}
	f.Provider = best
}

// FNV-1a over a normalised token stream: whitespace is dropped, and a token
// holding a digit (numbers, ids, timestamps, call ids) counts as one "#", so
// messages that differ only in those hash the same.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

func fnvString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// lineHash is one message line's contribution to a message hash. Lines without digits
// (most prose) are hashed whole with maphash, which is fast; lines with digits
// go through normHash so that numbers and ids do not tell messages apart.
func lineHash(seed maphash.Seed, b []byte) uint64 {
	if hasDigit(b) {
		return normHash(fnvOffset, b)
	}
	return maphash.Bytes(seed, b)
}

// hasDigit tests 8 bytes at a time for an ASCII digit (bytes >= 0x80 may
// report a false digit, which only sends the line down the slower path).
func hasDigit(b []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// bytes in (0x2f, 0x3a): "hasbetween" from Bit Twiddling Hacks.
		t := (lo*(127+0x3a) - (x & (lo * 127))) &^ x & ((x & (lo * 127)) + lo*(127-0x2f)) & hi
		if t != 0 {
			return true
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= '0' && b[i] <= '9' {
			return true
		}
	}
	return false
}

func normHash(h uint64, b []byte) uint64 {
	tok := uint64(fnvOffset)
	inTok, letter, ndig := false, false, 0
	flush := func() {
		// Long numbers (timestamps, token counts) and ids that mix letters
		// and digits are noise; a short number ("step 2") is content.
		if ndig >= 4 || (ndig > 0 && letter) {
			h = (h ^ '#') * fnvPrime
		} else {
			h = (h ^ tok) * fnvPrime
		}
		inTok, letter, ndig, tok = false, false, 0, fnvOffset
	}
	for _, c := range b {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80 {
			inTok, letter = true, true
			tok = (tok ^ uint64(c)) * fnvPrime
			continue
		}
		if c >= '0' && c <= '9' {
			inTok = true
			ndig++
			tok = (tok ^ uint64(c)) * fnvPrime
			continue
		}
		if inTok {
			flush()
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			h = (h ^ uint64(c)) * fnvPrime
		}
	}
	if inTok {
		flush()
	}
	return (h ^ ' ') * fnvPrime
}
