package runlog

import (
	"hash/maphash"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// call is one model call as the readers hand it to the aggregator. Only the
// aggregator's bounded state outlives it.
type call struct {
	id          int64
	line        bool
	invocation  string
	session     string
	agent       string
	start, end  time.Time
	cached      bool
	cost        float64
	costOK      bool
	prompt      int
	completion  int
	usageOK     bool
	respBytes   int64
	errText     string // short response text that may hold "error_code:..., config N failed"
	reqBytes    int64
	msgs        int    // messages in the request, -1 unknown
	last2       string // content of the last two messages, capped
	fingerprint uint64 // identity of the whole request (exact repeats)
	norm        uint64 // normHash of session, agent and last2, when normOK
	normOK      bool
	toolChars   int64
	maxTool     int64
	model       string
}

// errorRe matches AutoGen's failed-call text: "error_code:rate_limit_exceeded, config 0 failed".
var errorRe = regexp.MustCompile(`error_code:\s*([^,"\s]*)\s*,\s*config\s+(\d+)\s+failed`)

// parseError returns the error code and config index of a failed-call response.
func parseError(s string) (code string, cfg int, ok bool) {
	m := errorRe.FindStringSubmatch(s)
	if m == nil {
		return "", 0, false
	}
	cfg, _ = strconv.Atoi(m[2])
	code = m[1]
	if code == "" {
		code = "None"
	}
	return code, cfg, true
}

// IsRateLimitCode reports whether a failed call's code means a rate limit
// (OpenAI's rate_limit_exceeded, Azure's "429").
func IsRateLimitCode(code string) bool {
	return code == "rate_limit_exceeded" || code == "429" || code == "rate_limit_error" || code == "RESOURCE_EXHAUSTED"
}

// repeatSeen is the compact state of a request seen once: most requests are
// never repeated, so only a count and where it was first seen are kept until
// the second time.
type repeatSeen struct {
	count      uint32
	prompt     int32
	completion int32
	id         int64
	at         int64 // unix nanoseconds, 0 when unknown
}

type repeatState struct {
	agent string
	count int
	first Row
	rows  []Row
	text  string
}

type sessionAgent struct{ session, agent string }

type growthState struct {
	prevMsgs int
	step     int
	streak   int
	start    Row
	rows     []Row
	recent   [8]uint64
	next     int
}

type bucket struct {
	sec    int64
	req    int
	tokens int64
	agents []string // distinct agents of this second (a handful; capped)
}

type inflight struct {
	end   time.Time
	agent string
}

// failedCall is what is kept of a logical call (invocation) with failed rows.
type failedCall struct {
	n     int
	first Row
}

type failState struct {
	key  uint64
	at   time.Time
	code string
}

// aggregator computes Facts from a stream of calls with bounded memory.
type aggregator struct {
	lim Limits
	f   *Facts

	agents   map[string]*AgentStat
	sessions map[string]*SessionStat
	minutes  map[int64]*Minute
	errors   map[string]*ErrorCount

	window []bucket // per-second buckets of the last 60 s
	winReq int
	winTok int64

	recent []Row // ring of the last MaxEvidence calls, for the lead-up to the first failure
	next   int   // where the next call goes in recent

	seen      map[uint64]repeatSeen
	repeats   map[uint64]*repeatState
	growth    map[sessionAgent]*growthState
	exact     map[uint64]int
	failedInv map[string]failedCall // invocation -> failed rows so far
	lastFail  map[string]failState

	active      []inflight
	sharedSet   map[string]struct{}
	models      map[string]struct{}
	overflowMsg bool

	// ping-pong over received_message events
	ppA, ppB  string
	ppStreak  int
	ppStart   Row
	ppRows    []Row
	ppLastKey string
	ppSeen    map[string]*growthState // recent message hashes per sender
}

func newAggregator(lim Limits, f *Facts) *aggregator {
	return &aggregator{
		lim: lim, f: f,
		agents:    map[string]*AgentStat{},
		sessions:  map[string]*SessionStat{},
		minutes:   map[int64]*Minute{},
		errors:    map[string]*ErrorCount{},
		seen:      map[uint64]repeatSeen{},
		repeats:   map[uint64]*repeatState{},
		growth:    map[sessionAgent]*growthState{},
		exact:     map[uint64]int{},
		failedInv: map[string]failedCall{},
		lastFail:  map[string]failState{},
		sharedSet: map[string]struct{}{},
		models:    map[string]struct{}{},
	}
}

func (a *aggregator) row(c *call) Row {
	return Row{Time: c.start, Agent: c.agent, ID: c.id, Line: c.line, Invocation: c.invocation,
		Prompt: c.prompt, Completion: c.completion, Cached: c.cached}
}

func (a *aggregator) full(n int) bool { return n >= a.lim.MaxKeys }

// add folds one call into the facts.
func (a *aggregator) add(c *call) {
	f := a.f
	if c.agent == "" {
		c.agent = "unknown"
	}
	code, _, failed := parseError(c.errText)
	if !c.usageOK && !failed {
		// No usage in the record (a cached record without usage, or an
		// oversized response): estimate tokens as characters / 4. A failed
		// call was rejected and used no tokens.
		c.prompt = int(c.reqBytes / 4)
		c.completion = int(c.respBytes / 4)
		f.TokensEstimated++
	}
	r := a.row(c)
	if failed {
		r.Error = code
	}
	tokens := int64(c.prompt + c.completion)

	f.Calls++
	f.RequestChars += c.reqBytes
	if !c.start.IsZero() {
		if f.First.IsZero() || c.start.Before(f.First) {
			f.First = c.start
		}
		if c.start.After(f.Last) {
			f.Last = c.start
		}
	}
	if len(f.FirstCalls) < a.lim.MaxEvidence {
		f.FirstCalls = append(f.FirstCalls, r)
	}
	if c.cached {
		f.Cached++
	}
	if c.costOK {
		f.Cost += c.cost
		if c.cost != 0 {
			f.CostRecorded = true
		}
	}
	f.PromptTokens += int64(c.prompt)
	f.CompletionTokens += int64(c.completion)
	if c.model != "" && len(a.models) < 16 {
		a.models[c.model] = struct{}{}
	}

	// per agent
	as := a.agents[c.agent]
	if as == nil {
		name := c.agent
		if len(a.agents) >= 1000 {
			name = "(other agents)"
		}
		if as = a.agents[name]; as == nil {
			as = &AgentStat{Name: name}
			a.agents[name] = as
		}
	}
	as.Calls++
	as.PromptTokens += int64(c.prompt)
	as.CompletionTokens += int64(c.completion)
	as.RequestBytes += c.reqBytes
	if c.cached {
		as.Cached++
	}
	if c.costOK {
		as.Cost += c.cost
	}
	if failed {
		as.Failed++
	}

	// per session
	if c.session != "" {
		ss := a.sessions[c.session]
		if ss == nil && !a.full(len(a.sessions)) {
			ss = &SessionStat{ID: c.session, First: c.start}
			a.sessions[c.session] = ss
		}
		if ss != nil {
			ss.Calls++
			if !c.start.IsZero() && (ss.First.IsZero() || c.start.Before(ss.First)) {
				ss.First = c.start
			}
			if c.start.After(ss.Last) {
				ss.Last = c.start
			}
			if !c.cached && !c.start.IsZero() && c.start.Sub(ss.First) < time.Minute {
				ss.FirstMinute++
			}
		}
	}

	peakBefore := f.Peak.Requests
	// timeline and sliding window: cached calls make no API request.
	if !c.start.IsZero() && !c.cached {
		m := c.start.Unix() / 60
		mt := a.minutes[m]
		if mt == nil && len(a.minutes) < 500_000 {
			mt = &Minute{Start: time.Unix(m*60, 0).UTC()}
			a.minutes[m] = mt
		}
		if mt != nil {
			mt.Requests++
			mt.Tokens += tokens
			if failed && IsRateLimitCode(code) {
				mt.Errors429++
			}
		}
		a.slide(c.start, tokens, c.agent)
	}

	// failures
	if failed {
		f.Failed++
		ec := a.errors[code]
		if ec == nil && len(a.errors) < 64 {
			ec = &ErrorCount{Code: code, First: r}
			a.errors[code] = ec
		}
		if ec != nil {
			ec.Count++
		}
		if f.FirstFailure == nil {
			before := a.lastCalls()
			f.FirstFailure = &Failure{Call: r, Before: before, LastMin: a.winReq, LastMinTk: a.winTok}
		}
		if c.invocation != "" {
			if fc, ok := a.failedInv[c.invocation]; ok || !a.full(len(a.failedInv)) {
				n := fc.n + 1
				if n == 1 {
					fc.first = r
				}
				a.failedInv[c.invocation] = failedCall{n: n, first: fc.first}
				if n == 2 {
					f.FailoverCalls++
					if len(f.FailoverRows) < a.lim.MaxEvidence {
						f.FailoverRows = append(f.FailoverRows, fc.first)
					}
				}
				f.MaxFailedRows = max(f.MaxFailedRows, n)
				if n >= 2 && len(f.FailoverRows) < a.lim.MaxEvidence {
					f.FailoverRows = append(f.FailoverRows, r)
				}
			}
		}
	}
	if len(a.recent) < a.lim.MaxEvidence {
		a.recent = append(a.recent, r)
	} else {
		a.recent[a.next] = r
	}
	a.next = (a.next + 1) % a.lim.MaxEvidence
	if f.Peak.Requests > peakBefore {
		f.PeakRows = a.lastCalls()
	}

	// loops and repeats look at what was sent, so they skip calls with no request text.
	norm := c.norm
	if !c.normOK {
		norm = normHash(c.session, c.agent, c.last2)
	}
	if c.last2 != "" || c.msgs > 0 {
		a.loops(c, r, norm)
	}
	if c.fingerprint != 0 {
		n, seen := a.exact[c.fingerprint]
		if seen && !c.cached && !failed {
			f.Repeated++
			if len(f.RepeatedRows) < a.lim.MaxEvidence {
				f.RepeatedRows = append(f.RepeatedRows, r)
			}
		}
		if seen || !a.full(len(a.exact)) {
			a.exact[c.fingerprint] = n + 1
		}
	}
	// an application-level retry: the same agent re-sends the request that just failed.
	if lf, ok := a.lastFail[c.agent]; ok && !failed && lf.key == norm && norm != 0 &&
		(c.start.IsZero() || lf.at.IsZero() || c.start.Sub(lf.at) < 5*time.Minute) {
		f.Resent++
		if len(f.ResentRows) < a.lim.MaxEvidence {
			f.ResentRows = append(f.ResentRows, r)
		}
		delete(a.lastFail, c.agent)
	}
	if failed && norm != 0 && len(a.lastFail) < 1000 {
		a.lastFail[c.agent] = failState{key: norm, at: c.start, code: code}
	}

	// tools inside requests
	f.ToolChars += c.toolChars
	if c.maxTool > f.MaxToolMessage {
		f.MaxToolMessage = c.maxTool
		f.MaxToolRow = r
	}

	a.overlap(c, r)
}

// lastCalls copies the ring of recent calls, oldest first.
func (a *aggregator) lastCalls() []Row {
	out := make([]Row, 0, len(a.recent))
	if len(a.recent) < a.lim.MaxEvidence {
		return append(out, a.recent...)
	}
	out = append(out, a.recent[a.next:]...)
	return append(out, a.recent[:a.next]...)
}

// slide adds a call to the 60-second window of per-second buckets and
// records the peaks. Calls arrive in row order, which is close to time
// order; a call older than the window only reaches the timeline.
func (a *aggregator) slide(t time.Time, tokens int64, agent string) {
	sec := t.Unix()
	n := len(a.window)
	var b *bucket
	switch {
	case n == 0 || sec > a.window[n-1].sec:
		a.window = append(a.window, bucket{sec: sec})
		b = &a.window[len(a.window)-1]
	case sec < a.window[0].sec:
		return
	default:
		for i := n - 1; i >= 0; i-- {
			if a.window[i].sec == sec {
				b = &a.window[i]
				break
			}
			if a.window[i].sec < sec {
				a.window = append(a.window, bucket{})
				copy(a.window[i+2:], a.window[i+1:])
				a.window[i+1] = bucket{sec: sec}
				b = &a.window[i+1]
				break
			}
		}
		if b == nil {
			return
		}
	}
	b.req++
	b.tokens += tokens
	if len(b.agents) < 16 && !slices.Contains(b.agents, agent) {
		b.agents = append(b.agents, agent)
	}
	a.winReq++
	a.winTok += tokens
	newest := a.window[len(a.window)-1].sec
	drop := 0
	for drop < len(a.window) && a.window[drop].sec <= newest-60 {
		a.winReq -= a.window[drop].req
		a.winTok -= a.window[drop].tokens
		drop++
	}
	if drop > 0 {
		a.window = append(a.window[:0], a.window[drop:]...)
	}
	f := a.f
	if a.winReq > f.Peak.Requests {
		f.Peak = a.windowStat()
	}
	if a.winTok > f.PeakTok.Tokens {
		f.PeakTok = a.windowStat()
	}
}

func (a *aggregator) windowStat() Window {
	agents := map[string]struct{}{}
	for _, b := range a.window {
		for _, k := range b.agents {
			if len(agents) < 64 {
				agents[k] = struct{}{}
			}
		}
	}
	return Window{Start: time.Unix(a.window[0].sec, 0).UTC(), Requests: a.winReq, Tokens: a.winTok, Agents: len(agents)}
}

// loops tracks the repeat and growth signatures of one call.
func (a *aggregator) loops(c *call, r Row, norm uint64) {
	// a cache hit is no API call: it cannot be part of a loop that burns quota.
	if norm != 0 && !c.cached {
		if rs := a.repeats[norm]; rs != nil {
			rs.count++
			if len(rs.rows) < 5 {
				rs.rows = append(rs.rows, r)
			}
		} else if s, ok := a.seen[norm]; ok {
			// second sighting: promote to full state, with the first call rebuilt.
			first := Row{ID: s.id, Line: c.line, Agent: c.agent, Prompt: int(s.prompt), Completion: int(s.completion)}
			if s.at != 0 {
				first.Time = time.Unix(0, s.at).UTC()
			}
			if len(a.repeats) < 10_000 {
				a.repeats[norm] = &repeatState{agent: c.agent, first: first, count: 2, rows: []Row{first, r}, text: sample(c.last2)}
			}
			delete(a.seen, norm)
		} else if !a.full(len(a.seen)) {
			var at int64
			if !c.start.IsZero() {
				at = c.start.UnixNano()
			}
			a.seen[norm] = repeatSeen{count: 1, id: c.id, at: at, prompt: int32(c.prompt), completion: int32(c.completion)}
		}
	}
	if c.msgs <= 0 {
		return
	}
	key := sessionAgent{c.session, c.agent}
	g := a.growth[key]
	if g == nil {
		if len(a.growth) >= 10_000 {
			return
		}
		g = &growthState{prevMsgs: c.msgs, start: r}
		a.growth[key] = g
		g.remember(norm)
		return
	}
	d := c.msgs - g.prevMsgs
	if d > 0 && d == g.step && norm != 0 && g.seen(norm) {
		g.streak++
		if len(g.rows) < 5 {
			g.rows = append(g.rows, r)
		}
		a.keepGrowth(c.agent, g, c.last2, r)
	} else {
		if d > 0 {
			g.step = d
		}
		g.streak = 0
		g.start = r
		g.rows = append(g.rows[:0], r)
	}
	g.prevMsgs = c.msgs
	g.remember(norm)
}

func (g *growthState) remember(h uint64) {
	g.recent[g.next%len(g.recent)] = h
	g.next++
}

func (g *growthState) seen(h uint64) bool {
	for _, x := range g.recent {
		if x == h {
			return true
		}
	}
	return false
}

// keepGrowth keeps, per agent, the longest growth streak seen so far.
func (a *aggregator) keepGrowth(agent string, g *growthState, text string, end Row) {
	for i := range a.f.Loops {
		l := &a.f.Loops[i]
		if l.Kind == LoopGrowth && l.Agent == agent {
			if g.streak > l.Count {
				*l = Loop{Kind: LoopGrowth, Agent: agent, Count: g.streak, Step: g.step, Start: g.start, End: end, Rows: append([]Row(nil), g.rows...), Text: sample(text)}
			}
			return
		}
	}
	if len(a.f.Loops) < 256 {
		a.f.Loops = append(a.f.Loops, Loop{Kind: LoopGrowth, Agent: agent, Count: g.streak, Step: g.step, Start: g.start, End: end, Rows: append([]Row(nil), g.rows...), Text: sample(text)})
	}
}

// overlap counts calls that started while another agent's call was still in
// flight: calls drawing on one rate-limit bucket at the same time.
func (a *aggregator) overlap(c *call, r Row) {
	if c.cached || c.start.IsZero() || c.end.IsZero() {
		return
	}
	kept := a.active[:0]
	others := false
	for _, x := range a.active {
		if x.end.After(c.start) {
			kept = append(kept, x)
			if x.agent != c.agent {
				others = true
				if len(a.sharedSet) < 64 {
					a.sharedSet[x.agent] = struct{}{}
				}
			}
		}
	}
	a.active = kept
	s := &a.f.Shared
	if others {
		s.Overlaps++
		if len(a.sharedSet) < 64 {
			a.sharedSet[c.agent] = struct{}{}
		}
		if len(s.Rows) < a.lim.MaxEvidence {
			s.Rows = append(s.Rows, r)
		}
	}
	if len(a.active) < 4096 {
		a.active = append(a.active, inflight{end: c.end, agent: c.agent})
	}
	if len(a.active) > s.MaxInFight {
		s.MaxInFight = len(a.active)
	}
}

// event folds one received_message event (sender -> receiver) into the
// ping-pong tracker.
//
// Two agents taking turns is how every two-agent chat works, so a turn only
// extends the streak when its (normalised) content repeats one of the last
// messages of the same sender: the pair is saying the same things again.
func (a *aggregator) event(id int64, line bool, at time.Time, sender, receiver, content string) {
	if sender == "" || receiver == "" || sender == receiver {
		return
	}
	r := Row{Time: at, Agent: sender + " -> " + receiver, ID: id, Line: line, Event: !line}
	key := sender + "\x00" + receiver
	rev := receiver + "\x00" + sender
	h := normHash("", sender, content)
	if a.ppSeen == nil {
		a.ppSeen = map[string]*growthState{}
	}
	seen := a.ppSeen[sender]
	if seen == nil && len(a.ppSeen) < 1000 {
		seen = &growthState{}
		a.ppSeen[sender] = seen
	}
	repeated := h != 0 && seen != nil && seen.seen(h)
	if seen != nil {
		seen.remember(h)
	}
	switch {
	case !repeated:
		a.ppStreak = 0
	case a.ppLastKey == rev && a.ppStreak > 0:
		a.ppStreak++
		if len(a.ppRows) < 6 {
			a.ppRows = append(a.ppRows, r)
		}
	default:
		a.ppStreak = 1
		a.ppA, a.ppB = sender, receiver
		a.ppStart = r
		a.ppRows = []Row{r}
	}
	a.ppLastKey = key
	if a.ppStreak < 2 {
		return
	}
	for i := range a.f.Loops {
		l := &a.f.Loops[i]
		if l.Kind == LoopPingPong && pairEq(l.Agent, l.Peer, a.ppA, a.ppB) {
			if a.ppStreak > l.Count {
				l.Count, l.Start, l.Rows = a.ppStreak, a.ppStart, append([]Row(nil), a.ppRows...)
			}
			return
		}
	}
	if len(a.f.Loops) < 256 {
		a.f.Loops = append(a.f.Loops, Loop{Kind: LoopPingPong, Agent: a.ppA, Peer: a.ppB, Count: a.ppStreak, Start: a.ppStart, Rows: append([]Row(nil), a.ppRows...)})
	}
}

func pairEq(a, b, c, d string) bool { return (a == c && b == d) || (a == d && b == c) }

// finish turns the bounded state into the sorted lists of Facts.
func (a *aggregator) finish() {
	f := a.f
	for _, as := range a.agents {
		f.Agents = append(f.Agents, *as)
	}
	sort.Slice(f.Agents, func(i, j int) bool {
		if f.Agents[i].Calls != f.Agents[j].Calls {
			return f.Agents[i].Calls > f.Agents[j].Calls
		}
		return f.Agents[i].Name < f.Agents[j].Name
	})
	for _, s := range a.sessions {
		f.Sessions = append(f.Sessions, *s)
	}
	sort.Slice(f.Sessions, func(i, j int) bool {
		if !f.Sessions[i].First.Equal(f.Sessions[j].First) {
			return f.Sessions[i].First.Before(f.Sessions[j].First)
		}
		return f.Sessions[i].ID < f.Sessions[j].ID
	})
	for _, m := range a.minutes {
		f.Timeline = append(f.Timeline, *m)
	}
	sort.Slice(f.Timeline, func(i, j int) bool { return f.Timeline[i].Start.Before(f.Timeline[j].Start) })
	for _, e := range a.errors {
		f.Errors = append(f.Errors, *e)
	}
	sort.Slice(f.Errors, func(i, j int) bool {
		if f.Errors[i].Count != f.Errors[j].Count {
			return f.Errors[i].Count > f.Errors[j].Count
		}
		return f.Errors[i].Code < f.Errors[j].Code
	})
	for _, rs := range a.repeats {
		if rs.count >= 3 {
			f.Loops = append(f.Loops, Loop{Kind: LoopRepeat, Agent: rs.agent, Count: rs.count, Start: rs.first, Rows: rs.rows, Text: rs.text})
		}
	}
	sort.SliceStable(f.Loops, func(i, j int) bool {
		if f.Loops[i].Count != f.Loops[j].Count {
			return f.Loops[i].Count > f.Loops[j].Count
		}
		return f.Loops[i].Start.ID < f.Loops[j].Start.ID
	})
	if len(a.sharedSet) > 1 {
		f.Shared.Agents = sortedKeys(a.sharedSet)
	}
	f.Shared.Models = sortedKeys(a.models)
	f.Notes = append(f.Notes, "Retries inside the openai SDK (max_retries, default 2) leave no row: each failed row may stand for up to 3 HTTP requests.")
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// normHash identifies a request by the normalised content of its last two
// messages and who sent it: ASCII case folded, digit runs and whitespace
// runs (and their JSON escapes) collapsed, so "attempt 3" and "attempt 4"
// count as the same request. FNV-1a, inlined: it runs once per row.
func normHash(session, agent, text string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(session); i++ {
		h = (h ^ uint64(session[i])) * fnvPrime
	}
	h = (h ^ 0) * fnvPrime
	for i := 0; i < len(agent); i++ {
		h = (h ^ uint64(agent[i])) * fnvPrime
	}
	h = (h ^ 0) * fnvPrime
	blank := true
	space, digit := false, false
	n := min(len(text), 1024)
	for i := 0; i < n; i++ {
		c := text[i]
		if c == '\\' && i+1 < n && (text[i+1] == 'n' || text[i+1] == 't' || text[i+1] == 'r') {
			c = ' '
			i++
		}
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			if !space {
				h = (h ^ ' ') * fnvPrime
			}
			space = true
			continue
		case c >= '0' && c <= '9':
			if !digit {
				h = (h ^ '#') * fnvPrime
			}
			digit = true
			space = false
			blank = false
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		space, digit, blank = false, false, false
		h = (h ^ uint64(c)) * fnvPrime
	}
	if blank {
		return 0
	}
	if h == 0 {
		h = 1
	}
	return h
}

// fingerprintSeed is fixed for the process: fingerprints are compared only
// within one analysis.
var fingerprintSeed = maphash.MakeSeed()

// fingerprint identifies a whole request body (exact repeats); maphash runs
// at memory speed, so hashing every byte of a 1 GB log is cheap.
func fingerprint(body []byte) uint64 {
	h := maphash.Bytes(fingerprintSeed, body)
	if h == 0 {
		h = 1
	}
	return h
}

// sample is a short, single-line excerpt of a message for evidence text.
func sample(s string) string {
	s = jsonEscapes.Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		cut := 120
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// jsonEscapes turns the common escapes of raw JSON content into text for samples.
var jsonEscapes = strings.NewReplacer(`\n`, " ", `\t`, " ", `\r`, " ", `\"`, `"`, `\\`, `\`)
