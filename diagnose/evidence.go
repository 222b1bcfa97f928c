package diagnose

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/budget"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
)

// Bounds of the evidence section: it is drawn on a page and stored with a
// saved report, so it stays small whatever the input size.
const (
	// maxTimelineMinutes is the longest timeline kept (4 hours); a longer
	// run keeps the window around its busiest minute.
	maxTimelineMinutes = 240
	maxEvidenceAgents  = 20
	maxEvidenceTools   = 15
)

// buildEvidence collects what the inputs show and predict: a run's timeline,
// calls per agent and tool result sizes from runtime logs and plain logs, and
// the retry amplification and call budget of the code. nil when no input
// gives any of it.
func buildEvidence(sources []*Source) *Evidence {
	ev := &Evidence{}
	ev.Timeline, ev.Source = pickTimeline(sources)
	ev.LimitRPM, ev.LimitTPM = limitsFromLogs(sources)
	ev.CallsPerAgent = callsPerAgent(sources)
	ev.ToolResults = toolSizes(sources)
	ev.Retry, ev.Budget = codeEvidence(sources, ev.LimitRPM, ev.LimitTPM)
	if ev.Retry == nil {
		ev.Retry = observedRetry(sources)
	}
	if len(ev.Timeline) == 0 && len(ev.CallsPerAgent) == 0 && len(ev.ToolResults) == 0 &&
		ev.Retry == nil && len(ev.Budget) == 0 && ev.LimitRPM == 0 && ev.LimitTPM == 0 {
		return nil
	}
	return ev
}

// minuteKey is a minute's start in UTC, the key that lines timelines up.
type minuteKey = int64

// pickTimeline takes the richest timeline: a runtime log's (it has tokens)
// over a plain log's, the one with the most requests among equals. 429s from
// the other logs are folded into the same minutes, because a runtime log
// records only a call's final failure while the openai/httpx lines show every
// 429 the client retried.
func pickTimeline(sources []*Source) ([]TimelineMinute, string) {
	type cand struct {
		name    string
		runtime bool
		total   int
		minutes map[minuteKey]*TimelineMinute
	}
	var cands []cand
	for _, s := range sources {
		if s.Runtime != nil && len(s.Runtime.Timeline) > 0 {
			c := cand{name: s.Name, runtime: true, minutes: map[minuteKey]*TimelineMinute{}}
			for _, m := range s.Runtime.Timeline {
				k := m.Start.UTC().Truncate(time.Minute).Unix()
				t := c.minutes[k]
				if t == nil {
					t = &TimelineMinute{}
					c.minutes[k] = t
				}
				t.Requests += m.Requests
				t.Tokens += int(m.Tokens)
				t.RateLimited += m.Errors429
				c.total += m.Requests
			}
			cands = append(cands, c)
		}
		if s.Log != nil && len(s.Log.Timeline) > 0 {
			c := cand{name: s.Name, minutes: map[minuteKey]*TimelineMinute{}}
			for _, m := range s.Log.Timeline {
				if m.Start.IsZero() {
					continue
				}
				k := m.Start.UTC().Truncate(time.Minute).Unix()
				t := c.minutes[k]
				if t == nil {
					t = &TimelineMinute{}
					c.minutes[k] = t
				}
				t.Requests += m.Requests
				t.RateLimited += m.RateLimited
				c.total += max(m.Requests, m.RateLimited)
			}
			if len(c.minutes) > 0 {
				cands = append(cands, c)
			}
		}
	}
	if len(cands) == 0 {
		return nil, ""
	}
	best := slices.MaxFunc(cands, func(a, b cand) int {
		if a.runtime != b.runtime {
			if a.runtime {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.total, b.total)
	})
	for _, c := range cands {
		if c.name == best.name && c.runtime == best.runtime {
			continue
		}
		for k, m := range c.minutes {
			if t, ok := best.minutes[k]; ok && m.RateLimited > t.RateLimited {
				t.RateLimited = m.RateLimited
			}
		}
	}
	return denseTimeline(best.minutes), best.name
}

// denseTimeline orders the minutes and fills the gaps with empty minutes, so
// a chart's x axis is time; a span over maxTimelineMinutes keeps the window
// centred on the busiest minute.
func denseTimeline(minutes map[minuteKey]*TimelineMinute) []TimelineMinute {
	keys := make([]minuteKey, 0, len(minutes))
	for k := range minutes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	first, last := keys[0], keys[len(keys)-1]
	if span := (last-first)/60 + 1; span > maxTimelineMinutes {
		peak := keys[0]
		for _, k := range keys {
			m, p := minutes[k], minutes[peak]
			if m.RateLimited > p.RateLimited || m.RateLimited == p.RateLimited && m.Requests > p.Requests {
				peak = k
			}
		}
		first = max(first, peak-int64(maxTimelineMinutes/2)*60)
		last = first + int64(maxTimelineMinutes-1)*60
	}
	var out []TimelineMinute
	for k := first; k <= last; k += 60 {
		m := TimelineMinute{}
		if t, ok := minutes[k]; ok {
			m = *t
		}
		m.Start = time.Unix(k, 0).UTC().Format(time.RFC3339)
		out = append(out, m)
	}
	return out
}

// limitsFromLogs reads the RPM and TPM limits the provider stated in its 429
// messages ("Limit 3, Used 3, Requested 1"); the most frequent message of
// each kind wins.
func limitsFromLogs(sources []*Source) (rpm, tpm int) {
	rpmN, tpmN := 0, 0
	for _, s := range sources {
		if s.Log == nil {
			continue
		}
		for _, rl := range s.Log.RateLimits {
			if rl.Limit <= 0 || rl.Limit > 1<<31 {
				continue
			}
			switch rl.Kind {
			case logscan.KindRPM:
				if rl.Count > rpmN {
					rpm, rpmN = int(rl.Limit), rl.Count
				}
			case logscan.KindTPM:
				if rl.Count > tpmN {
					tpm, tpmN = int(rl.Limit), rl.Count
				}
			}
		}
	}
	return rpm, tpm
}

// callsPerAgent counts model calls per agent from runtime logs; without one,
// a 0.4 Console transcript's messages per source stand in.
func callsPerAgent(sources []*Source) []Count {
	calls := map[string]int{}
	for _, s := range sources {
		if s.Runtime == nil {
			continue
		}
		for _, a := range s.Runtime.Agents {
			calls[a.Name] += a.Calls
		}
	}
	if len(calls) == 0 {
		for _, s := range sources {
			if s.Log == nil {
				continue
			}
			for _, sp := range s.Log.Speakers {
				calls[sp.Name] += sp.Messages
			}
		}
	}
	var out []Count
	for name, n := range calls {
		if n <= 0 {
			continue
		}
		if name == "" {
			name = "(no agent name)"
		}
		out = append(out, Count{Label: redact.String(name), N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if c := cmp.Compare(b.N, a.N); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	if len(out) > maxEvidenceAgents {
		out = out[:maxEvidenceAgents]
	}
	return out
}

// toolSizes lists tool result sizes, largest first: each tool's largest
// return from a runtime log, each large response from a plain log.
func toolSizes(sources []*Source) []ToolSize {
	var out []ToolSize
	for _, s := range sources {
		if s.Runtime != nil {
			for _, t := range s.Runtime.Tools {
				if t.MaxReturn > 0 {
					out = append(out, ToolSize{Tool: t.Name, Chars: clampInt(t.MaxReturn), File: s.Name})
				}
			}
			if len(s.Runtime.Tools) == 0 && s.Runtime.MaxToolMessage > 0 {
				out = append(out, ToolSize{Tool: "(tool message)", Chars: clampInt(s.Runtime.MaxToolMessage), File: s.Name, Line: rowLine(s.Runtime.MaxToolRow)})
			}
		}
		if s.Log != nil {
			for _, r := range s.Log.ToolResults {
				name := r.Name
				if name == "" {
					name = "(tool response)"
				}
				out = append(out, ToolSize{Tool: name, Chars: r.Size, Line: r.Line, File: s.Name})
			}
		}
	}
	for i := range out {
		out[i].Tool = redact.String(out[i].Tool)
	}
	slices.SortStableFunc(out, func(a, b ToolSize) int { return cmp.Compare(b.Chars, a.Chars) })
	if len(out) > maxEvidenceTools {
		out = out[:maxEvidenceTools]
	}
	return out
}

func clampInt(v int64) int {
	if v > 1<<31-1 {
		return 1<<31 - 1
	}
	return int(v)
}

// codeEvidence builds the retry arithmetic and the call budgets from the
// Python inputs. With limits read from a 429 message, each budget also says
// at which call a run passes them.
func codeEvidence(sources []*Source, rpm, tpm int) (*RetryMath, []ChatBudget) {
	var retry *RetryMath
	var budgets []ChatBudget
	entries, entriesFrom := configEntries(sources)
	for _, s := range sources {
		if s.Python == nil {
			continue
		}
		setup, ok := safeSetup(s)
		if !ok {
			continue
		}
		if entries > 1 && len(setup.Layers) > 0 && s.Python.Generation != "0.4" && !hasLayer(setup.Layers, budget.LayerFailover) {
			// The code reads its config_list from a file given alongside
			// (OAI_CONFIG_LIST): AutoGen fails over through its entries.
			setup.Layers = append(setup.Layers[:1:1], append([]budget.Layer{{Kind: budget.LayerFailover, Attempts: entries, Where: entriesFrom}}, setup.Layers[1:]...)...)
		}
		if n, where := gatewayRetries(sources); n > 0 && len(setup.Layers) > 0 {
			setup.Layers = append(setup.Layers, budget.Layer{Kind: budget.LayerGateway, Attempts: 1 + n, Where: where})
		}
		if len(setup.Layers) > 0 {
			rm := retryMath(setup)
			if retry == nil || rm.Burst > retry.Burst {
				retry = rm
			}
		}
		for _, pc := range setup.Chats {
			budgets = append(budgets, chatBudget(pc, setup.SharedBy, rpm, tpm))
		}
	}
	if len(budgets) > maxPlannedChats {
		budgets = budgets[:maxPlannedChats]
	}
	return retry, budgets
}

// configEntries is the longest config_list among the config inputs and
// which input it is in.
func configEntries(sources []*Source) (int, string) {
	n, from := 0, ""
	for _, s := range sources {
		if s.Config != nil && len(s.Config.Entries) > n {
			n, from = len(s.Config.Entries), s.Name
		}
	}
	return n, from
}

// gatewayRetries finds a LiteLLM proxy's num_retries in a config input
// (litellm_settings or router_settings): the proxy retries upstream on its
// own, one more layer under the clients' retries.
func gatewayRetries(sources []*Source) (int, string) {
	for _, s := range sources {
		if s.Config == nil || s.Config.Root == nil {
			continue
		}
		var found *yaml.Node
		var walk func(n *yaml.Node, depth int)
		walk = func(n *yaml.Node, depth int) {
			if n == nil || found != nil || depth > 6 {
				return
			}
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == "num_retries" && n.Content[i+1].Kind == yaml.ScalarNode {
						found = n.Content[i+1]
						return
					}
				}
			}
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		walk(s.Config.Root, 0)
		if found == nil {
			continue
		}
		if v, err := strconv.Atoi(found.Value); err == nil && v > 0 && v <= 100 {
			return v, fmt.Sprintf("%s:%d", s.Name, found.Line)
		}
	}
	return 0, ""
}

func hasLayer(layers []budget.Layer, k budget.LayerKind) bool {
	for _, l := range layers {
		if l.Kind == k {
			return true
		}
	}
	return false
}

// safeSetup reads one file's setup; a fragment that trips the reader is
// left out of the evidence rather than taking the whole report down (the
// same protection the engine gives each rule).
func safeSetup(s *Source) (setup Setup, ok bool) {
	defer func() {
		if recover() != nil {
			setup, ok = Setup{}, false
		}
	}()
	return setupOf(s.Python, s.Name), true
}

// retryMath runs the budget package's amplification over a setup's layers.
func retryMath(s Setup) *RetryMath {
	a := budget.Amplify(s.Layers, s.SharedBy)
	rm := &RetryMath{PerCall: a.PerCall, SharedBy: a.SharedBy, Burst: a.Burst, Formula: a.Formula, Keep: a.Keep, Changes: a.Changes}
	for _, l := range s.Layers {
		rm.Layers = append(rm.Layers, layerText(l))
	}
	for _, u := range s.Unbounded {
		rm.Layers = append(rm.Layers, u+": not counted, it can retry without end")
		rm.Formula += "; plus " + u
	}
	return rm
}

// layerText is one layer as a line: what it is, how many attempts, where.
func layerText(l budget.Layer) string {
	var what string
	switch l.Kind {
	case budget.LayerSDK:
		what = fmt.Sprintf("model client: %d attempts (1 + max_retries %d", l.Attempts, l.Attempts-1)
		if l.Default {
			what += ", the SDK default"
		}
		what += "), backs off and honours Retry-After"
	case budget.LayerFailover:
		what = fmt.Sprintf("AutoGen failover: %d config_list entries, each tried once with its own client retries", l.Attempts)
	case budget.LayerApp:
		what = fmt.Sprintf("application retry loop: %d attempts", l.Attempts)
	case budget.LayerTenacity:
		what = fmt.Sprintf("tenacity @retry: %d attempts", l.Attempts)
	case budget.LayerBackoff:
		what = fmt.Sprintf("backoff.on_exception: %d tries", l.Attempts)
	case budget.LayerGateway:
		what = fmt.Sprintf("gateway (LiteLLM num_retries %d): %d attempts", l.Attempts-1, l.Attempts)
	default:
		what = fmt.Sprintf("%s: %d attempts", l.Kind, l.Attempts)
	}
	if l.Kind != budget.LayerSDK && l.Kind != budget.LayerFailover && l.Kind != budget.LayerGateway {
		if l.Backoff {
			what += ", with exponential backoff"
		} else {
			what += ", without exponential backoff"
		}
	}
	if l.Where != "" {
		what += " (" + l.Where + ")"
	}
	return what
}

// chatBudget counts one chat's calls and, when limits are known from a 429
// message, adds where a run passes them.
func chatBudget(pc PlannedChat, sharedBy, rpm, tpm int) ChatBudget {
	cnt := budget.Calls(pc.Chat)
	cb := ChatBudget{
		Name: redact.String(pc.Chat.Name), File: pc.File, Line: pc.Line, Pattern: string(pc.Chat.Pattern),
		Expected: cnt.Expected, Worst: cnt.Worst, Unbounded: cnt.Unbounded, Steps: cnt.Steps,
	}
	if cnt.Unbounded {
		cb.Worst = 0
	}
	if rpm > 0 || tpm > 0 {
		f := budget.Simulate(pc.Chat, budget.Limits{RPM: rpm, TPM: tpm, Source: "the limit in your 429 message"}, budget.Load{Concurrent: sharedBy})
		cb.Steps = append(slices.Clone(cb.Steps), f.Summary)
		cb.Steps = append(cb.Steps, f.Keep...)
	}
	return cb
}

// observedRetry is the retry arithmetic a plain log shows when no code was
// given: the logical request that cost the most HTTP requests, split into the
// client's retries and the application's.
func observedRetry(sources []*Source) *RetryMath {
	var best *logscan.Request
	var name string
	for _, s := range sources {
		if s.Log == nil {
			continue
		}
		for i := range s.Log.Requests {
			r := &s.Log.Requests[i]
			if r.Attempts > 1 && (best == nil || r.Attempts > best.Attempts) {
				best, name = r, s.Name
			}
		}
	}
	if best == nil {
		return nil
	}
	sdk := budget.SDKLayer(best.MaxSDKRun, fmt.Sprintf("%s:%d", name, best.Line))
	layers := []budget.Layer{sdk}
	if best.AppRetries > 0 {
		layers = append(layers, budget.Layer{Kind: budget.LayerApp, Attempts: best.AppRetries + 1, Where: fmt.Sprintf("%s:%d", name, best.Line)})
	}
	rm := retryMath(Setup{Layers: layers, SharedBy: 1})
	rm.Layers = append(rm.Layers, fmt.Sprintf("seen in %s: the request at line %d took %d HTTP requests (%d answered 429), outcome %s", name, best.Line, best.Attempts, best.RateLimited, best.Outcome))
	return rm
}
