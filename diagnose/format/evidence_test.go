package format

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

func evidenceReport() *diagnose.Report {
	return &diagnose.Report{
		Version: diagnose.ReportVersion, Causes: []diagnose.RankedCause{}, Findings: []diagnose.Finding{},
		Inputs: []diagnose.InputSummary{{Name: "run.log", Kind: diagnose.KindLog}},
		Evidence: &diagnose.Evidence{
			Timeline: []diagnose.TimelineMinute{
				{Start: "2024-09-05T14:00:00Z", Requests: 3},
				{Start: "2024-09-05T14:01:00Z", Requests: 0},
				{Start: "2024-09-05T14:02:00Z", Requests: 4, RateLimited: 3},
			},
			LimitRPM:      3,
			Source:        "run.log",
			CallsPerAgent: []diagnose.Count{{Label: "agent-sk-proj-abcdefghijklmnopqrstuvwx1234", N: 9}, {Label: "writer", N: 2}},
			ToolResults:   []diagnose.ToolSize{{Tool: "scrape_page", Chars: 32900}},
			Retry:         &diagnose.RetryMath{PerCall: 24, SharedBy: 1, Burst: 24, Formula: "3 (client) × 2 (failover) × 4 (tenacity) = 24 requests per call", Keep: "Keep the client's retries."},
			Budget: []diagnose.ChatBudget{
				{Name: "user_proxy → assistant", File: "agents.py", Line: 17, Pattern: "two-agent", Expected: 7, Worst: 7, Steps: []string{"a", "summary_method=reflection_with_llm: + 1 call"}},
				{Name: "team", Pattern: "round-robin", Expected: 20, Unbounded: true},
			},
		},
	}
}

func TestTextEvidence(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, evidenceReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Evidence:\n",
		// 14:02 has the most requests (4) and 3 of them were 429s.
		"  busiest minute 2024-09-05 14:02 UTC: 4 requests (limit 3/min); 3 minutes, 3 answered 429 (run.log)\n",
		"  calls per agent: agent-",
		"  largest tool result: scrape_page, 32900 characters (about 8225 tokens)\n",
		"  retries: 3 (client) × 2 (failover) × 4 (tenacity) = 24 requests per call\n",
		"    keep: Keep the client's retries.\n",
		"  calls: user_proxy → assistant [two-agent] (agents.py:17): expected 7 calls per run, worst 7 — summary_method=reflection_with_llm: + 1 call\n",
		"  calls: team [round-robin]: expected 20 calls per run, worst unbounded\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "abcdefghijklmnopqrstuvwx1234") {
		t.Error("a key in an agent name was printed")
	}
	// Evidence comes before the summary line.
	if strings.Index(out, "Evidence:") > strings.Index(out, "No rate-limit problems found") {
		t.Error("evidence after the summary")
	}
}

func TestMarkdownEvidence(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, evidenceReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"### Evidence\n\n",
		"- Busiest minute: 2024-09-05 14:02 UTC: 4 requests (limit 3/min); 3 minutes, 3 answered 429 (run.log)\n",
		"- Largest tool result: `scrape_page`, 32900 characters (about 8225 tokens)\n",
		"- Retries: `3 (client) × 2 (failover) × 4 (tenacity) = 24 requests per call` — Keep the client's retries.\n",
		"- Calls: team \\[round-robin\\]: expected 20 calls per run, worst unbounded\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "abcdefghijklmnopqrstuvwx1234") {
		t.Error("a key in an agent name was printed")
	}
}

func TestNoEvidenceNoSection(t *testing.T) {
	r := evidenceReport()
	r.Evidence = nil
	var a, b bytes.Buffer
	if err := Text(&a, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.String(), "Evidence:") || strings.Contains(b.String(), "### Evidence") {
		t.Error("an evidence section without evidence")
	}
}

func TestMinuteOf(t *testing.T) {
	for in, want := range map[string]string{
		"2024-09-05T14:02:00Z": "2024-09-05 14:02 UTC",
		"0000-11-20T21:34:00Z": "11-20 21:34 UTC", // a log without years
		"garbage":              "garbage",
	} {
		if got := minuteOf(in); got != want {
			t.Errorf("minuteOf(%q) = %q, want %q", in, got, want)
		}
	}
}
