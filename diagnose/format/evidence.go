package format

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// The evidence section in the text and Markdown reports is brief on
// purpose: the busiest minute against the limit, the retry multiplication
// and one line per chat's call budget. The pictures live on the web page.

// maxEvidenceLines bounds the call-budget and agent lines printed.
const maxEvidenceLines = 6

// peakMinute is the busiest minute of a timeline (most requests, then most 429s).
func peakMinute(tl []diagnose.TimelineMinute) (diagnose.TimelineMinute, int) {
	best, total429 := diagnose.TimelineMinute{}, 0
	for _, m := range tl {
		total429 += m.RateLimited
		if m.Requests > best.Requests || m.Requests == best.Requests && m.RateLimited > best.RateLimited {
			best = m
		}
	}
	return best, total429
}

// minuteOf prints an RFC 3339 minute as "2024-05-01 10:00 UTC".
func minuteOf(start string) string {
	s := strings.Replace(start, "T", " ", 1)
	// Logs whose timestamps carry no year ("%m-%d %H:%M:%S") give year 0.
	s = strings.TrimPrefix(s, "0000-")
	if n := strings.LastIndexByte(s, ':'); n > 0 && strings.Count(s, ":") == 2 {
		return s[:n] + " UTC"
	}
	return s
}

// peakLine is the busiest minute as a sentence, shared by both renderers.
func peakLine(ev *diagnose.Evidence) string {
	if len(ev.Timeline) == 0 {
		return ""
	}
	peak, n429 := peakMinute(ev.Timeline)
	s := fmt.Sprintf("busiest minute %s: %d requests", minuteOf(peak.Start), peak.Requests)
	if peak.Tokens > 0 {
		s += fmt.Sprintf(", %d tokens", peak.Tokens)
	}
	if ev.LimitRPM > 0 {
		s += fmt.Sprintf(" (limit %d/min)", ev.LimitRPM)
	}
	s += fmt.Sprintf("; %d minutes, %d answered 429", len(ev.Timeline), n429)
	if ev.Source != "" {
		s += " (" + ev.Source + ")"
	}
	return s
}

func budgetLine(b diagnose.ChatBudget) string {
	worst := fmt.Sprint(b.Worst)
	if b.Unbounded {
		worst = "unbounded"
	}
	where := ""
	if b.File != "" {
		where = b.File
		if b.Line > 0 {
			where += ":" + itoa(b.Line)
		}
		where = " (" + where + ")"
	}
	s := fmt.Sprintf("%s [%s]%s: expected %d calls per run, worst %s", b.Name, b.Pattern, where, b.Expected, worst)
	if len(b.Steps) > 0 {
		s += " — " + b.Steps[len(b.Steps)-1]
	}
	return s
}

func agentsLine(counts []diagnose.Count) string {
	var parts []string
	for i, c := range counts {
		if i == maxEvidenceLines {
			parts = append(parts, fmt.Sprintf("… %d more", len(counts)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", c.Label, c.N))
	}
	return strings.Join(parts, ", ")
}

// writeTextEvidence prints the evidence block of the text report.
func writeTextEvidence(b *bytes.Buffer, ev *diagnose.Evidence, p painter) {
	if ev == nil {
		return
	}
	printed := false
	head := func() {
		if !printed {
			b.WriteString(p.paint(ansiBold, "Evidence:") + "\n")
			printed = true
		}
	}
	if l := peakLine(ev); l != "" {
		head()
		fmt.Fprintf(b, "  %s\n", oneLine(l))
	} else if ev.LimitRPM > 0 || ev.LimitTPM > 0 {
		head()
		fmt.Fprintf(b, "  limit from the 429 message: %s\n", limitsOf(ev))
	}
	if len(ev.CallsPerAgent) > 0 {
		head()
		fmt.Fprintf(b, "  calls per agent: %s\n", oneLine(agentsLine(ev.CallsPerAgent)))
	}
	if len(ev.ToolResults) > 0 {
		t := ev.ToolResults[0]
		head()
		fmt.Fprintf(b, "  largest tool result: %s, %d characters (about %d tokens)\n", oneLine(t.Tool), t.Chars, t.Chars/4)
	}
	if r := ev.Retry; r != nil {
		head()
		fmt.Fprintf(b, "  retries: %s\n", oneLine(r.Formula))
		if r.Keep != "" {
			fmt.Fprintf(b, "    %s %s\n", p.paint(ansiGreen, "keep:"), oneLine(r.Keep))
		}
	}
	for i, cb := range ev.Budget {
		if i == maxEvidenceLines {
			fmt.Fprintf(b, "  … %d more chats\n", len(ev.Budget)-i)
			break
		}
		head()
		fmt.Fprintf(b, "  calls: %s\n", oneLine(budgetLine(cb)))
	}
	if printed {
		b.WriteString("\n")
	}
}

func limitsOf(ev *diagnose.Evidence) string {
	var parts []string
	if ev.LimitRPM > 0 {
		parts = append(parts, fmt.Sprintf("%d requests/min", ev.LimitRPM))
	}
	if ev.LimitTPM > 0 {
		parts = append(parts, fmt.Sprintf("%d tokens/min", ev.LimitTPM))
	}
	return strings.Join(parts, ", ")
}

// writeMarkdownEvidence prints the evidence section of the Markdown report.
func writeMarkdownEvidence(b *bytes.Buffer, ev *diagnose.Evidence) {
	if ev == nil {
		return
	}
	var items []string
	if l := peakLine(ev); l != "" {
		items = append(items, "Busiest minute: "+mdEscape(oneLine(strings.TrimPrefix(l, "busiest minute "))))
	} else if ev.LimitRPM > 0 || ev.LimitTPM > 0 {
		items = append(items, "Limit from the 429 message: "+mdEscape(limitsOf(ev)))
	}
	if len(ev.CallsPerAgent) > 0 {
		items = append(items, "Calls per agent: "+mdEscape(oneLine(agentsLine(ev.CallsPerAgent))))
	}
	if len(ev.ToolResults) > 0 {
		t := ev.ToolResults[0]
		items = append(items, fmt.Sprintf("Largest tool result: %s, %d characters (about %d tokens)", mdCode(t.Tool), t.Chars, t.Chars/4))
	}
	if r := ev.Retry; r != nil {
		s := "Retries: " + mdCode(oneLine(r.Formula))
		if r.Keep != "" {
			s += " — " + mdEscape(oneLine(r.Keep))
		}
		items = append(items, s)
	}
	for i, cb := range ev.Budget {
		if i == maxEvidenceLines {
			items = append(items, fmt.Sprintf("… %d more chats", len(ev.Budget)-i))
			break
		}
		items = append(items, "Calls: "+mdEscape(oneLine(budgetLine(cb))))
	}
	if len(items) == 0 {
		return
	}
	b.WriteString("### Evidence\n\n")
	for _, it := range items {
		b.WriteString("- " + it + "\n")
	}
	b.WriteString("\n")
}
