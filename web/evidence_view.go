package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/chart"
)

// EvidenceView is the evidence section of a diagnosis: the pictures of what
// a run's records show and the cards of what the code predicts. Built by
// NewEvidenceView; the templ components in evidence.templ only print it.
type EvidenceView struct {
	// CSS is the URL of chart.css; the section links it itself so any page
	// that includes it is styled without touching the layout.
	CSS string
	// Requests is the requests-per-minute chart; nil when there is no timeline.
	Requests *ColumnsView
	Tokens   *ColumnsView
	Agents   *BarsView
	Tools    *BarsView
	Retry    *RetryView
	Budgets  []ChatBudgetView
	// BudgetURL opens the budget calculator with the limits read from the
	// 429 messages ("" when none were read).
	BudgetURL  string
	BudgetText string
	// Source names the input the timeline came from.
	Source string
}

// Empty reports whether there is nothing to show.
func (v EvidenceView) Empty() bool {
	return v.Requests == nil && v.Tokens == nil && v.Agents == nil && v.Tools == nil && v.Retry == nil && len(v.Budgets) == 0
}

// ColumnsView is one per-minute chart and its data table.
type ColumnsView struct {
	ID      string
	Caption string
	SVG     template.HTML // escaped by web/chart
	Legend  []LegendItem
	Head    []string
	Rows    [][]string
}

// LegendItem is one key of a chart's legend.
type LegendItem struct {
	Class string // chart-key-col, chart-key-429, chart-key-limit
	Text  string
}

// BarsView is one bar chart and its data table.
type BarsView struct {
	ID      string
	Caption string
	SVG     template.HTML
	Head    []string
	Rows    [][]string
}

// RetryView is the retry multiplication as the page prints it.
type RetryView struct {
	Formula  string
	PerCall  int
	SharedBy int
	Burst    int
	Layers   []string
	Keep     string
	Changes  []string
}

// ChatBudgetView is one chat's call budget, and its forecast against a limit
// when one is known.
type ChatBudgetView struct {
	Name     string
	Where    string // "agents.py:12"
	Pattern  string
	Expected string
	Worst    string // "unbounded" when nothing stops it
	Steps    []string

	// Forecast (the budget page, or limits from a 429 message).
	HasForecast bool
	PeakRPM     string
	PeakTPM     string
	LimitRPM    string
	LimitTPM    string
	OverRPM     bool
	OverTPM     bool
	Summary     string
	Keep        []string
	Chart       *BarsView
}

// EvidenceOptions say what the including page already shows.
type EvidenceOptions struct {
	CSS string
}

// NewEvidenceView builds the view of a report's Evidence; a nil Evidence
// gives an empty view.
func NewEvidenceView(ev *diagnose.Evidence, opts EvidenceOptions) EvidenceView {
	v := EvidenceView{CSS: opts.CSS}
	if ev == nil {
		return v
	}
	v.Source = ev.Source
	if len(ev.Timeline) > 0 {
		v.Requests = requestsChart(ev)
		v.Tokens = tokensChart(ev)
	}
	v.Agents = agentsChart(ev.CallsPerAgent)
	v.Tools = toolsChart(ev.ToolResults)
	if r := ev.Retry; r != nil {
		v.Retry = &RetryView{Formula: r.Formula, PerCall: r.PerCall, SharedBy: r.SharedBy, Burst: r.Burst, Layers: r.Layers, Keep: r.Keep, Changes: r.Changes}
	}
	for _, b := range ev.Budget {
		cv := ChatBudgetView{Name: b.Name, Pattern: b.Pattern, Expected: strconv.Itoa(b.Expected), Worst: strconv.Itoa(b.Worst), Steps: b.Steps}
		if b.Unbounded {
			cv.Worst = "unbounded"
		}
		if b.File != "" {
			cv.Where = b.File
			if b.Line > 0 {
				cv.Where += ":" + strconv.Itoa(b.Line)
			}
		}
		v.Budgets = append(v.Budgets, cv)
	}
	if len(v.Budgets) > 0 {
		v.BudgetURL, v.BudgetText = "/budget", "Check these call counts against your provider tier"
	}
	if ev.LimitRPM > 0 || ev.LimitTPM > 0 {
		v.BudgetText = "Check your setup against the limit from your 429 message"
		q := url.Values{}
		if ev.LimitRPM > 0 {
			q.Set("rpm", strconv.Itoa(ev.LimitRPM))
		}
		if ev.LimitTPM > 0 {
			q.Set("tpm", strconv.Itoa(ev.LimitTPM))
		}
		v.BudgetURL = "/budget?" + q.Encode()
	}
	return v
}

// clock is a timeline minute as "15:04" (the date is in the table).
func clock(start string) string {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return start
	}
	return t.UTC().Format("15:04")
}

func minuteText(start string) string {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return start
	}
	if t.Year() <= 1 {
		// Logs whose timestamps carry no year ("%m-%d %H:%M:%S").
		return t.UTC().Format("01-02 15:04")
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func requestsChart(ev *diagnose.Evidence) *ColumnsView {
	return perMinuteChart(ev, "ev-requests", "Requests", "requests", ev.LimitRPM,
		func(m diagnose.TimelineMinute) int { return m.Requests })
}

// tokensChart is nil when the timeline carries no token counts (only a
// runtime log has them).
func tokensChart(ev *diagnose.Evidence) *ColumnsView {
	for _, m := range ev.Timeline {
		if m.Tokens > 0 {
			return perMinuteChart(ev, "ev-tokens", "Tokens", "tokens", ev.LimitTPM,
				func(m diagnose.TimelineMinute) int { return m.Tokens })
		}
	}
	return nil
}

// perMinuteChart draws one value of each timeline minute (requests or
// tokens) as columns, with the minutes that got 429s marked and the limit
// from the 429 message as a line; the table holds the same numbers.
func perMinuteChart(ev *diagnose.Evidence, id, what, noun string, limit int, value func(diagnose.TimelineMinute) int) *ColumnsView {
	c := chart.Columns{ID: id, Unit: noun + "/min", Limit: limit}
	total, n429, peak := 0, 0, 0
	v := &ColumnsView{ID: id, Head: []string{"Minute (UTC)", what, "Answered 429"}}
	for _, m := range ev.Timeline {
		n := value(m)
		c.Labels = append(c.Labels, clock(m.Start))
		c.Values = append(c.Values, n)
		c.Marks = append(c.Marks, m.RateLimited)
		total += n
		n429 += m.RateLimited
		peak = max(peak, n)
		v.Rows = append(v.Rows, []string{minuteText(m.Start), strconv.Itoa(n), strconv.Itoa(m.RateLimited)})
	}
	c.Title = what + " per minute"
	c.Desc = fmt.Sprintf("%d minutes, %d %s, %d answered 429, peak %d in one minute", len(ev.Timeline), total, noun, n429, peak)
	if limit > 0 {
		c.Desc += fmt.Sprintf("; the limit from the 429 message is %d per minute", limit)
	}
	c.Desc += "."
	v.Caption = c.Title
	v.SVG = c.Draw()
	v.Legend = legend(n429 > 0, limit, noun)
	return v
}

func legend(has429 bool, limit int, what string) []LegendItem {
	l := []LegendItem{{Class: "chart-key-col", Text: what + " in the minute"}}
	if has429 {
		l = append(l, LegendItem{Class: "chart-key-429", Text: "minute with 429s (marked ▼)"})
	}
	if limit > 0 {
		l = append(l, LegendItem{Class: "chart-key-limit", Text: fmt.Sprintf("limit %d per minute", limit)})
	}
	return l
}

func agentsChart(counts []diagnose.Count) *BarsView {
	if len(counts) == 0 {
		return nil
	}
	c := chart.Bars{ID: "ev-agents", Title: "Model calls per agent", Unit: "calls"}
	v := &BarsView{ID: "ev-agents", Caption: c.Title, Head: []string{"Agent", "Calls"}}
	total := 0
	for _, n := range counts {
		total += n.N
	}
	for i, n := range counts {
		// The top agent is marked when it made more than half of all calls:
		// that is where a cap or a cache helps most.
		c.Bars = append(c.Bars, chart.Bar{Label: n.Label, Value: n.N, Hot: i == 0 && len(counts) > 1 && n.N*2 > total})
		v.Rows = append(v.Rows, []string{n.Label, strconv.Itoa(n.N)})
	}
	c.Desc = fmt.Sprintf("%d agents, %d calls in all; %s made the most (%d).", len(counts), total, counts[0].Label, counts[0].N)
	v.SVG = c.Draw()
	return v
}

// bigToolResult is the result size from which a bar is drawn as a warning:
// about 2,500 tokens, more than most replies it feeds.
const bigToolResult = 10000

func toolsChart(sizes []diagnose.ToolSize) *BarsView {
	if len(sizes) == 0 {
		return nil
	}
	c := chart.Bars{ID: "ev-tools", Title: "Tool result sizes", Unit: "characters"}
	v := &BarsView{ID: "ev-tools", Caption: c.Title, Head: []string{"Tool", "Characters", "About tokens", "Where"}}
	for _, s := range sizes {
		where := s.File
		if s.Line > 0 {
			where += ":" + strconv.Itoa(s.Line)
		}
		c.Bars = append(c.Bars, chart.Bar{Label: s.Tool, Value: s.Chars, Note: where, Hot: s.Chars >= bigToolResult})
		v.Rows = append(v.Rows, []string{s.Tool, strconv.Itoa(s.Chars), strconv.Itoa(s.Chars / 4), where})
	}
	c.Desc = fmt.Sprintf("%d tool results, largest first; the largest is %d characters (about %d tokens) from %s.", len(sizes), sizes[0].Chars, sizes[0].Chars/4, sizes[0].Tool)
	v.SVG = c.Draw()
	return v
}
