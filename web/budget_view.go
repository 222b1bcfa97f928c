package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/budget"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/chart"
)

// maxBudgetCode is the largest paste the budget page reads (agent code,
// not logs: a few hundred lines is typical).
const maxBudgetCode = 256 << 10

// BudgetInput is what the budget form sends, parsed and checked. Zero
// values mean "not given": AutoGen's defaults apply.
type BudgetInput struct {
	Code string
	// Pattern and the settings below describe a setup by hand (used when no
	// code is pasted, or when the code has no chat we can read).
	Pattern     string
	MaxTurns    int
	MaxRound    int
	SenderCap   string // "" default (100), else a number (0 allowed)
	Selection   string
	MaxMessages int
	ToolIters   int
	Tools       bool
	Reflection  bool
	Stop        bool // a termination check that can end the chat early

	// ErrorText is a pasted 429 message; its "Limit N" fills in a limit
	// that was not typed.
	ErrorText   string
	Tier        string
	RPM         int
	TPM         int
	RPD         int
	Concurrency int
	LatencySec  float64

	MaxRetries    string // "" default 2
	AppRetries    int
	ConfigEntries int

	// Submitted is true when the form was sent (not just opened).
	Submitted bool
}

// patterns are the setups a person can pick by hand.
var patterns = []struct{ ID, Label string }{
	{string(budget.TwoAgent), "0.2/AG2: two agents (initiate_chat)"},
	{string(budget.GroupChat0), "0.2/AG2: GroupChat + GroupChatManager"},
	{string(budget.RoundRobin), "0.4: RoundRobinGroupChat or Swarm"},
	{string(budget.Selector), "0.4: SelectorGroupChat"},
	{string(budget.MagenticOne), "0.4: MagenticOneGroupChat"},
	{string(budget.SingleAgent), "0.4: one AssistantAgent.run"},
}

// ParseBudgetInput reads the form (query string or posted form) and returns
// what it says plus one message per field that could not be used.
func ParseBudgetInput(q url.Values) (BudgetInput, []string) {
	var in BudgetInput
	var errs []string
	num := func(key, what string, lo, hi int) int {
		s := strings.TrimSpace(q.Get(key))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "_", ""))
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Sprintf("%s must be a whole number from %d to %d (got %q).", what, lo, hi, clip(s, 20)))
			return 0
		}
		return n
	}
	in.Code = q.Get("code")
	if len(in.Code) > maxBudgetCode {
		errs = append(errs, fmt.Sprintf("The code is %d KB; paste at most %d KB (the agents and the chat are enough).", len(in.Code)>>10, maxBudgetCode>>10))
		in.Code = ""
	}
	in.Pattern = q.Get("pattern")
	if in.Pattern != "" && !validPattern(in.Pattern) {
		errs = append(errs, "Pick a setup from the list.")
		in.Pattern = ""
	}
	in.MaxTurns = num("max_turns", "max_turns", 1, 100000)
	in.MaxRound = num("max_round", "max_round", 1, 100000)
	if s := strings.TrimSpace(q.Get("sender_cap")); s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 0 || n > 100000 {
			errs = append(errs, "max_consecutive_auto_reply must be a whole number from 0 to 100000.")
		} else {
			in.SenderCap = s
		}
	}
	switch sel := q.Get("selection"); sel {
	case "", "auto", "round_robin", "random", "manual":
		in.Selection = sel
	default:
		errs = append(errs, "Pick a speaker selection method from the list.")
	}
	in.MaxMessages = num("max_messages", "MaxMessageTermination", 1, 100000)
	in.ToolIters = num("tool_iterations", "max_tool_iterations", 1, 1000)
	in.Tools = q.Get("tools") != ""
	in.Reflection = q.Get("reflection") != ""
	in.Stop = q.Get("stop") != ""
	in.Tier = q.Get("tier")
	in.ErrorText = q.Get("error")
	if len(in.ErrorText) > 16<<10 {
		errs = append(errs, "Paste only the 429 message itself (it is a few lines).")
		in.ErrorText = ""
	}
	in.RPM = num("rpm", "Requests per minute", 1, 100_000_000)
	in.TPM = num("tpm", "Tokens per minute", 1, 1_000_000_000)
	in.RPD = num("rpd", "Requests per day", 1, 1_000_000_000)
	in.Concurrency = num("concurrency", "Runs at once", 1, 10000)
	if s := strings.TrimSpace(q.Get("latency")); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0.1 || v > 600 {
			errs = append(errs, "Seconds per call must be a number from 0.1 to 600.")
		} else {
			in.LatencySec = v
		}
	}
	if s := strings.TrimSpace(q.Get("max_retries")); s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 0 || n > 100 {
			errs = append(errs, "max_retries must be a whole number from 0 to 100.")
		} else {
			in.MaxRetries = s
		}
	}
	in.AppRetries = num("app_attempts", "Application retry attempts", 1, 1000)
	in.ConfigEntries = num("config_entries", "config_list entries", 1, 100)
	in.Submitted = q.Get("go") != ""
	return in, errs
}

func validPattern(p string) bool {
	for _, x := range patterns {
		if x.ID == p {
			return true
		}
	}
	return false
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// BudgetPageView is everything the budget page shows.
type BudgetPageView struct {
	Layout   LayoutView // set by the handler
	In       BudgetInput
	Errors   []string
	Patterns []OptionView
	Tiers    []TierGroupView
	// TiersUpdated and TiersSource say where the tier figures come from.
	TiersUpdated string
	TiersSource  string
	Selections   []OptionView
	// CodeNote says what was read from the pasted code.
	CodeNote string
	// ErrorNote says what was read from a pasted 429 message.
	ErrorNote string

	// Results (only once there is something to compute).
	HasResults bool
	Limits     string // "3 requests/min, 60,000 tokens/min (OpenAI Free tier, unverified)"
	NoLimits   bool
	LoadNote   string
	Chats      []ChatBudgetView
	Retry      *RetryView
	Snippets   []SnippetView
	Evidence   EvidenceView // only its CSS is used here
}

// OptionView is one <option>.
type OptionView struct {
	Value, Label string
	Selected     bool
}

// TierGroupView is one provider's tiers as an <optgroup>.
type TierGroupView struct {
	Label   string
	Note    string
	Options []OptionView
	Rows    []TierRowView
}

// TierRowView is one tier in the table under the form.
type TierRowView struct {
	Name, RPM, TPM, RPD, Source string
	Verified                    bool
}

// SnippetView is one piece of configuration to paste.
type SnippetView struct {
	Title, Lang, Code, Note string
}

// NewBudgetPageView computes the page from the form, the tier table and
// what was read from the code (setup nil when no code was pasted; setupErr
// when it could not be read).
func NewBudgetPageView(in BudgetInput, errs []string, tiers *content.TierTable, setup *diagnose.Setup, setupErr string) BudgetPageView {
	v := BudgetPageView{In: in, Errors: errs}
	for _, p := range patterns {
		v.Patterns = append(v.Patterns, OptionView{Value: p.ID, Label: p.Label, Selected: p.ID == in.Pattern})
	}
	for _, s := range []string{"auto", "round_robin", "random", "manual"} {
		label := s
		if s == "auto" {
			label = "auto (default: a model call picks each speaker)"
		}
		v.Selections = append(v.Selections, OptionView{Value: s, Label: label, Selected: s == in.Selection})
	}
	var tier *content.Tier
	var provider string
	if tiers != nil {
		v.TiersUpdated, v.TiersSource = tiers.Updated, tiers.Source
		for _, p := range tiers.Providers {
			g := TierGroupView{Label: p.Name, Note: p.Note}
			for _, t := range p.Tiers {
				label := fmt.Sprintf("%s: %s", p.Name, t.Name)
				if !t.Verified {
					label += " (unverified)"
				}
				g.Options = append(g.Options, OptionView{Value: t.ID, Label: label, Selected: t.ID == in.Tier})
				g.Rows = append(g.Rows, TierRowView{Name: t.Name, RPM: limitText(t.RPM), TPM: limitText(t.TPM), RPD: limitText(t.RPD), Source: t.Source, Verified: t.Verified})
				if t.ID == in.Tier {
					tc := t
					tier, provider = &tc, p.Name
				}
			}
			v.Tiers = append(v.Tiers, g)
		}
	}
	if in.Tier != "" && tier == nil && tiers != nil {
		v.Errors = append(v.Errors, "That tier is not in the tier table; type the limits instead.")
	}

	// Limits: typed numbers (or ?rpm= from a 429 message) win over a tier,
	// because they are the person's own account.
	lim := budget.Limits{RPM: in.RPM, TPM: in.TPM, RPD: in.RPD}
	var src string
	if in.ErrorText != "" && lim.RPM == 0 && lim.TPM == 0 && lim.RPD == 0 {
		var note string
		lim, note = limitsFromMessage(in.ErrorText)
		v.ErrorNote = note
		if lim.RPM > 0 || lim.TPM > 0 || lim.RPD > 0 {
			src = "your 429 message"
		}
	}
	switch {
	case src != "":
	case lim.RPM > 0 || lim.TPM > 0 || lim.RPD > 0:
		src = "the limits you entered"
	case tier != nil:
		lim = budget.Limits{RPM: tier.RPM, TPM: tier.TPM, RPD: tier.RPD}
		src = provider + " " + tier.Name
		if !tier.Verified {
			src += ", unverified"
		}
	}
	lim.Source = src

	chats, codeNote := chatsFor(in, setup, setupErr)
	v.CodeNote = codeNote
	if len(chats) == 0 && !in.Submitted {
		return v
	}
	v.HasResults = true
	v.NoLimits = lim.RPM == 0 && lim.TPM == 0 && lim.RPD == 0
	v.Limits = limitsText(lim)

	conc := in.Concurrency
	if conc == 0 && setup != nil {
		conc = setup.SharedBy
	}
	load := budget.Load{Concurrent: conc}
	if in.LatencySec > 0 {
		load.Latency = time.Duration(in.LatencySec * float64(time.Second))
	}
	nl := load
	if nl.Concurrent < 1 {
		nl.Concurrent = 1
	}
	lat := budget.DefaultLatency
	if load.Latency > 0 {
		lat = load.Latency
	}
	v.LoadNote = fmt.Sprintf("Assumed: %d %s at once on one key, %.3g s per call, a %d-token first prompt growing by %d tokens per call, %d-token replies.",
		nl.Concurrent, pluralWord(nl.Concurrent, "run", "runs"), lat.Seconds(), budget.DefaultPromptTokens, budget.DefaultMessageTokens, budget.DefaultCompletionTokens)

	for i, pc := range chats {
		v.Chats = append(v.Chats, forecastView(i, pc, lim, load))
	}

	layers, sharedBy := retryFor(in, setup)
	if conc > 0 {
		sharedBy = conc
	}
	if len(layers) > 0 {
		a := budget.Amplify(layers, sharedBy)
		rv := &RetryView{Formula: a.Formula, PerCall: a.PerCall, SharedBy: a.SharedBy, Burst: a.Burst, Keep: a.Keep, Changes: a.Changes}
		for _, l := range layers {
			rv.Layers = append(rv.Layers, layerLine(l))
		}
		if setup != nil {
			for _, u := range setup.Unbounded {
				rv.Layers = append(rv.Layers, u+": not counted, it can retry without end")
			}
		}
		v.Retry = rv
	}

	model := ""
	if setup != nil {
		model = setup.Model
	}
	if model == "" && tier != nil {
		model = tier.Model
	}
	for _, s := range budget.Throttle(budget.ThrottleInput{Model: model, Limits: lim, Sharers: max(conc, 1)}) {
		v.Snippets = append(v.Snippets, SnippetView{Title: s.Title, Lang: s.Lang, Code: s.Code, Note: s.Note})
	}
	return v
}

// limitsFromMessage reads the limit a provider states in a 429 message
// ("... on requests per min (RPM): Limit 3, Used 3, Requested 1"), line by
// line, so a whole traceback can be pasted.
func limitsFromMessage(text string) (budget.Limits, string) {
	var lim budget.Limits
	found := false
	for _, line := range strings.Split(text, "\n") {
		rl, ok := logscan.ParseRateLimit(line)
		if !ok {
			continue
		}
		found = true
		if rl.Limit <= 0 || rl.Limit > 1<<31 {
			continue
		}
		switch rl.Kind {
		case logscan.KindRPM:
			lim.RPM = int(rl.Limit)
		case logscan.KindTPM:
			lim.TPM = int(rl.Limit)
		case logscan.KindRPD:
			lim.RPD = int(rl.Limit)
		}
	}
	switch {
	case lim.RPM > 0 || lim.TPM > 0 || lim.RPD > 0:
		return lim, "Read from your 429 message: " + limitsText(lim) + "."
	case found:
		return lim, "That is a rate-limit message, but it states no per-minute or per-day limit (Azure and quota messages do not): pick a tier or type the numbers from your dashboard."
	}
	return lim, "No rate-limit message was recognised in what you pasted."
}

// chatsFor is the chats to count: those read from the code, or the one
// described by hand.
func chatsFor(in BudgetInput, setup *diagnose.Setup, setupErr string) ([]diagnose.PlannedChat, string) {
	note := ""
	if setupErr != "" {
		note = "The code could not be read: " + setupErr
	}
	if setup != nil && len(setup.Chats) > 0 {
		return setup.Chats, fmt.Sprintf("Read from your code: %d %s.", len(setup.Chats), pluralWord(len(setup.Chats), "chat or team", "chats or teams"))
	}
	if strings.TrimSpace(in.Code) != "" && setupErr == "" {
		note = "No initiate_chat, run or run_stream on agents or teams built in this code was found; describe the setup by hand below."
	}
	if in.Pattern == "" {
		return nil, note
	}
	c := budget.Chat{Pattern: budget.Pattern(in.Pattern), Name: "your setup", MaxTurns: in.MaxTurns, MaxRound: in.MaxRound,
		SpeakerSelection: in.Selection, MaxMessages: in.MaxMessages, MaxToolIterations: in.ToolIters,
		Reflection: in.Reflection, ReflectOnToolUse: in.Reflection && in.Pattern != string(budget.TwoAgent), HasTextStop: in.Stop}
	if in.SenderCap != "" {
		n, _ := strconv.Atoi(in.SenderCap)
		c.SenderCap = n
		if n == 0 {
			c.SenderCap = budget.NoReply
		}
	}
	if in.Tools {
		c.ToolRoundTrips = 1
	}
	return []diagnose.PlannedChat{{Chat: c}}, note
}

// retryFor is the retry layers: from the code, or from the form's fields.
func retryFor(in BudgetInput, setup *diagnose.Setup) ([]budget.Layer, int) {
	if setup != nil && len(setup.Layers) > 0 && in.MaxRetries == "" && in.AppRetries == 0 && in.ConfigEntries == 0 {
		return setup.Layers, setup.SharedBy
	}
	mr := -1
	if in.MaxRetries != "" {
		mr, _ = strconv.Atoi(in.MaxRetries)
	}
	layers := []budget.Layer{budget.SDKLayer(mr, "")}
	if in.ConfigEntries > 1 {
		layers = append(layers, budget.Layer{Kind: budget.LayerFailover, Attempts: in.ConfigEntries})
	}
	if in.AppRetries > 1 {
		layers = append(layers, budget.Layer{Kind: budget.LayerApp, Attempts: in.AppRetries})
	}
	return layers, 1
}

// forecastView simulates one chat against the limits.
func forecastView(i int, pc diagnose.PlannedChat, lim budget.Limits, load budget.Load) ChatBudgetView {
	f := budget.Simulate(pc.Chat, lim, load)
	cv := ChatBudgetView{Name: pc.Chat.Name, Pattern: string(pc.Chat.Pattern), Expected: strconv.Itoa(f.Count.Expected),
		Worst: strconv.Itoa(f.Count.Worst), Steps: f.Count.Steps, HasForecast: true,
		PeakRPM: groupDigits(f.PeakRPM), PeakTPM: groupDigits(f.PeakTPM), LimitRPM: limitText(lim.RPM), LimitTPM: limitText(lim.TPM),
		OverRPM: f.RPMExceededAt > 0, OverTPM: f.TPMExceededAt > 0, Summary: f.Summary, Keep: f.Keep}
	if f.Count.Unbounded {
		cv.Worst = "unbounded"
	}
	if pc.File != "" {
		cv.Where = fmt.Sprintf("%s:%d", pc.File, pc.Line)
	}
	if lim.RPM > 0 {
		id := fmt.Sprintf("budget-rpm-%d", i)
		c := chart.Bars{ID: id, Title: "Busiest minute against the limit", Unit: "requests/min",
			Desc: fmt.Sprintf("Worst case peak %d requests per minute against a limit of %d.", f.PeakRPM, lim.RPM),
			Bars: []chart.Bar{{Label: "peak requests/min", Value: f.PeakRPM, Hot: f.PeakRPM > lim.RPM}, {Label: "your limit", Value: lim.RPM}}}
		cv.Chart = &BarsView{ID: id, Caption: c.Title, SVG: c.Draw(), Head: []string{"", "Requests per minute"},
			Rows: [][]string{{"peak (worst case)", strconv.Itoa(f.PeakRPM)}, {"limit", strconv.Itoa(lim.RPM)}}}
	}
	return cv
}

func layerLine(l budget.Layer) string {
	switch l.Kind {
	case budget.LayerSDK:
		s := fmt.Sprintf("model client: %d attempts (1 + max_retries %d)", l.Attempts, l.Attempts-1)
		if l.Default {
			s = fmt.Sprintf("model client: %d attempts (1 + the default max_retries 2)", l.Attempts)
		}
		return withWhere(s, l.Where)
	case budget.LayerFailover:
		return withWhere(fmt.Sprintf("AutoGen failover over %d config_list entries", l.Attempts), l.Where)
	case budget.LayerApp:
		return withWhere(fmt.Sprintf("application retry: %d attempts", l.Attempts), l.Where)
	case budget.LayerTenacity:
		return withWhere(fmt.Sprintf("tenacity @retry: %d attempts", l.Attempts), l.Where)
	case budget.LayerBackoff:
		return withWhere(fmt.Sprintf("backoff.on_exception: %d tries", l.Attempts), l.Where)
	}
	return withWhere(fmt.Sprintf("%s: %d attempts", l.Kind, l.Attempts), l.Where)
}

func withWhere(s, where string) string {
	if where == "" {
		return s
	}
	return s + " (" + where + ")"
}

func limitText(n int) string {
	if n <= 0 {
		return "—"
	}
	return groupDigits(n)
}

// groupDigits prints 60000 as 60,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func limitsText(l budget.Limits) string {
	var parts []string
	if l.RPM > 0 {
		parts = append(parts, groupDigits(l.RPM)+" requests/min")
	}
	if l.TPM > 0 {
		parts = append(parts, groupDigits(l.TPM)+" tokens/min")
	}
	if l.RPD > 0 {
		parts = append(parts, groupDigits(l.RPD)+" requests/day")
	}
	if len(parts) == 0 {
		return "no limit given"
	}
	s := strings.Join(parts, ", ")
	if l.Source != "" {
		s += " (" + l.Source + ")"
	}
	return s
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
