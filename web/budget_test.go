package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

func TestParseBudgetInput(t *testing.T) {
	tests := []struct {
		query   string
		check   func(BudgetInput) bool
		errText string
	}{
		{"rpm=3&tpm=60%2C000", func(in BudgetInput) bool { return in.RPM == 3 && in.TPM == 60000 }, ""},
		{"rpm=-1", func(in BudgetInput) bool { return in.RPM == 0 }, "Requests per minute must be"},
		{"pattern=nonsense", func(in BudgetInput) bool { return in.Pattern == "" }, "Pick a setup"},
		{"sender_cap=0&max_retries=0", func(in BudgetInput) bool { return in.SenderCap == "0" && in.MaxRetries == "0" }, ""},
		{"latency=0.01", func(in BudgetInput) bool { return in.LatencySec == 0 }, "Seconds per call"},
		{"selection=<script>", func(in BudgetInput) bool { return in.Selection == "" }, "speaker selection"},
		{"go=1&pattern=group-chat&max_round=10", func(in BudgetInput) bool {
			return in.Submitted && in.Pattern == "group-chat" && in.MaxRound == 10
		}, ""},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		in, errs := ParseBudgetInput(q)
		if !tt.check(in) {
			t.Errorf("%s: parsed %+v", tt.query, in)
		}
		joined := strings.Join(errs, "\n")
		if tt.errText == "" && len(errs) > 0 || tt.errText != "" && !strings.Contains(joined, tt.errText) {
			t.Errorf("%s: errors %q, want %q", tt.query, errs, tt.errText)
		}
	}
}

func testTiers() *content.TierTable {
	return &content.TierTable{Updated: "2026-11-25", Source: "built-in", Providers: []content.Provider{{
		ID: "openai", Name: "OpenAI", Tiers: []content.Tier{
			{ID: "openai-free", Name: "Free tier", Model: "gpt-4o-mini", RPM: 3, TPM: 60000, RPD: 200, Source: "a thread", Verified: false},
			{ID: "openai-t1", Name: "Tier 1", Model: "gpt-4o-mini", RPM: 500, TPM: 200000, Source: "docs", Verified: true},
		}}}}
}

func TestBudgetPageView(t *testing.T) {
	tests := []struct {
		name  string
		query string
		code  string
		check func(t *testing.T, v BudgetPageView)
	}{
		{
			// Nothing sent yet: the form only, tiers labelled.
			name: "empty form", query: "",
			check: func(t *testing.T, v BudgetPageView) {
				if v.HasResults {
					t.Error("results without input")
				}
				if got := v.Tiers[0].Options[0].Label; got != "OpenAI: Free tier (unverified)" {
					t.Errorf("tier label %q", got)
				}
				if v.Tiers[0].Options[1].Label != "OpenAI: Tier 1" {
					t.Errorf("verified tier label %q", v.Tiers[0].Options[1].Label)
				}
			},
		},
		{
			// Free tier 3 RPM, default two-agent chat by hand: 100 calls, 4 s
			// apart → 16 in a minute; the 4th call is over 3 RPM.
			name: "free tier, two agents by hand", query: "go=1&pattern=two-agent&tier=openai-free",
			check: func(t *testing.T, v BudgetPageView) {
				if len(v.Chats) != 1 {
					t.Fatalf("chats %+v", v.Chats)
				}
				c := v.Chats[0]
				if c.Expected != "100" || c.Worst != "100" || c.PeakRPM != "16" || !c.OverRPM {
					t.Errorf("chat %+v", c)
				}
				if !strings.Contains(c.Summary, "at call 4") || !strings.Contains(c.Summary, "OpenAI Free tier, unverified") {
					t.Errorf("summary %q", c.Summary)
				}
				if !strings.Contains(strings.Join(c.Keep, "\n"), "max_turns=3") {
					t.Errorf("keep %q", c.Keep)
				}
				if v.Limits != "3 requests/min, 60,000 tokens/min, 200 requests/day (OpenAI Free tier, unverified)" {
					t.Errorf("limits %q", v.Limits)
				}
				// Retry: nothing typed → the SDK default alone, 3 requests per call.
				if v.Retry == nil || v.Retry.PerCall != 3 {
					t.Errorf("retry %+v", v.Retry)
				}
				// Snippets with the tier's model and 3 RPM × 0.8 / 60 = 0.04 req/s.
				if len(v.Snippets) != 3 || !strings.Contains(v.Snippets[0].Code, `"api_rate_limit": 0.04,`) || !strings.Contains(v.Snippets[0].Code, `"gpt-4o-mini"`) {
					t.Errorf("snippets %+v", v.Snippets)
				}
				if c.Chart == nil || !strings.Contains(string(c.Chart.SVG), "chart-hbar-hot") {
					t.Error("peak-vs-limit chart missing or not marked over")
				}
			},
		},
		{
			// Typed limits win over the tier; group chat round robin by
			// hand, 3 runs at once: 9 calls per run, all in one minute
			// (window 16) → peak 27 > 20, first over at call 7 (3 × 7 = 21).
			name: "typed limits and concurrency", query: "go=1&pattern=group-chat&selection=round_robin&rpm=20&tier=openai-t1&concurrency=3&max_retries=5&app_attempts=3",
			check: func(t *testing.T, v BudgetPageView) {
				c := v.Chats[0]
				if c.Worst != "9" || c.PeakRPM != "27" || !strings.Contains(c.Summary, "at call 7") || !strings.Contains(c.Summary, "3 runs at once") {
					t.Errorf("chat %+v", c)
				}
				if !strings.Contains(v.Limits, "20 requests/min (the limits you entered)") {
					t.Errorf("limits %q", v.Limits)
				}
				// 6 client attempts × 3 app attempts = 18; × 3 runs = 54.
				if v.Retry.PerCall != 18 || v.Retry.Burst != 54 {
					t.Errorf("retry %+v", v.Retry)
				}
			},
		},
		{
			name: "code read", query: "go=1&rpm=500&tpm=200000",
			code: `from autogen import AssistantAgent, UserProxyAgent
assistant = AssistantAgent("assistant", llm_config={"model": "gpt-4o", "api_key": "sk-proj-abcdefghijklmnopqrstuvwx1234"})
user = UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=3, code_execution_config=False)
user.initiate_chat(assistant, message="hi")
`,
			check: func(t *testing.T, v BudgetPageView) {
				// Cap 3 → min(3+1, 100) = 4 calls; 4 × 600 + 350 × 6 + 4 × 300 = 5,700 tokens: under.
				if len(v.Chats) != 1 || v.Chats[0].Worst != "4" || v.Chats[0].PeakTPM != "5,700" || v.Chats[0].OverRPM || v.Chats[0].OverTPM {
					t.Fatalf("chats %+v", v.Chats)
				}
				if v.Chats[0].Where != "agents.py:4" || !strings.Contains(v.CodeNote, "1 chat or team") {
					t.Errorf("where %q note %q", v.Chats[0].Where, v.CodeNote)
				}
				if !strings.Contains(v.Snippets[2].Code, "model: openai/gpt-4o\n") {
					t.Errorf("snippet model not from the code:\n%s", v.Snippets[2].Code)
				}
			},
		},
		{
			name: "code without a chat", query: "go=1&rpm=3",
			code: "def add(a, b):\n    return a + b\n",
			check: func(t *testing.T, v BudgetPageView) {
				if len(v.Chats) != 0 || !strings.Contains(v.CodeNote, "describe the setup by hand") {
					t.Errorf("chats %+v note %q", v.Chats, v.CodeNote)
				}
			},
		},
		{
			// The pasted 429 says Limit 3 (RPM): that is the limit, over the tier.
			name: "limit from a pasted 429", query: "go=1&pattern=two-agent&tier=openai-t1&error=" + url.QueryEscape("Traceback (most recent call last):\nopenai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-erQx1ZrQBcN6XYo3YE on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}"),
			check: func(t *testing.T, v BudgetPageView) {
				if v.Limits != "3 requests/min (your 429 message)" || !strings.Contains(v.ErrorNote, "Read from your 429 message: 3 requests/min") {
					t.Errorf("limits %q note %q", v.Limits, v.ErrorNote)
				}
				if !strings.Contains(v.Chats[0].Summary, "at call 4") {
					t.Errorf("summary %q", v.Chats[0].Summary)
				}
			},
		},
		{
			// Azure states no number: said so, and the tier still applies.
			name: "azure message without a number", query: "go=1&pattern=two-agent&tier=openai-t1&error=" + url.QueryEscape("Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-08-01-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 86400 seconds."),
			check: func(t *testing.T, v BudgetPageView) {
				if !strings.Contains(v.ErrorNote, "states no per-minute") || !strings.Contains(v.Limits, "OpenAI Tier 1") {
					t.Errorf("limits %q note %q", v.Limits, v.ErrorNote)
				}
			},
		},
		{
			name: "unknown tier", query: "go=1&pattern=single-agent&tier=nope",
			check: func(t *testing.T, v BudgetPageView) {
				if !strings.Contains(strings.Join(v.Errors, " "), "not in the tier table") || !v.NoLimits {
					t.Errorf("errors %q nolimits %v", v.Errors, v.NoLimits)
				}
				if len(v.Snippets) != 0 {
					t.Error("snippets without an RPM limit")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			if tt.code != "" {
				q.Set("code", tt.code)
			}
			in, errs := ParseBudgetInput(q)
			var setup *diagnose.Setup
			if in.Code != "" {
				var err error
				setup, err = diagnose.ReadSetup(context.Background(), "agents.py", []byte(in.Code))
				if err != nil {
					t.Fatal(err)
				}
			}
			tt.check(t, NewBudgetPageView(in, errs, testTiers(), setup, ""))
		})
	}
}

func TestNewEvidenceView(t *testing.T) {
	if !NewEvidenceView(nil, EvidenceOptions{}).Empty() {
		t.Error("nil evidence is not empty")
	}
	ev := &diagnose.Evidence{
		Timeline: []diagnose.TimelineMinute{
			{Start: "2024-05-01T10:00:00Z", Requests: 45, Tokens: 54000},
			{Start: "2024-05-01T10:01:00Z", Requests: 6, Tokens: 900, RateLimited: 5},
		},
		LimitRPM:      40,
		Source:        "storm.db",
		CallsPerAgent: []diagnose.Count{{Label: "researcher", N: 18}, {Label: "writer", N: 3}},
		ToolResults:   []diagnose.ToolSize{{Tool: "scrape_page", Chars: 32900, File: "tools.db"}},
		Retry:         &diagnose.RetryMath{PerCall: 6, SharedBy: 1, Burst: 6, Formula: "3 × 2 = 6"},
		Budget:        []diagnose.ChatBudget{{Name: "team", Pattern: "round-robin", Expected: 20, Unbounded: true, File: "a.py", Line: 9}},
	}
	v := NewEvidenceView(ev, EvidenceOptions{CSS: "/static/chart.x.css"})
	if v.Requests == nil || v.Tokens == nil || v.Agents == nil || v.Tools == nil || v.Retry == nil {
		t.Fatalf("view %+v", v)
	}
	if v.BudgetURL != "/budget?rpm=40" {
		t.Errorf("budget url %q", v.BudgetURL)
	}
	if v.Budgets[0].Worst != "unbounded" || v.Budgets[0].Where != "a.py:9" {
		t.Errorf("budget %+v", v.Budgets[0])
	}
	// researcher made 18 of 21 calls: more than half, drawn hot; the 32,900
	// character result is over 10,000: hot too.
	if !strings.Contains(string(v.Agents.SVG), "chart-hbar-hot") || !strings.Contains(string(v.Tools.SVG), "chart-hbar-hot") {
		t.Error("hot bars not marked")
	}
	if got := v.Tools.Rows[0]; strings.Join(got, "|") != "scrape_page|32900|8225|tools.db" {
		t.Errorf("tool row %q", got)
	}
	if len(v.Requests.Legend) != 3 || v.Tokens.Rows[1][2] != "5" {
		t.Errorf("legend %+v rows %+v", v.Requests.Legend, v.Tokens.Rows)
	}
	if v2 := NewEvidenceView(&diagnose.Evidence{Budget: ev.Budget}, EvidenceOptions{}); v2.BudgetURL != "/budget" || v2.BudgetText == "" {
		t.Errorf("budgets without limits link %q %q", v2.BudgetURL, v2.BudgetText)
	}

	// The component: every chart has its data table, ids are unique.
	var buf bytes.Buffer
	if err := EvidenceCharts(v).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find("figure.ev-figure").Length(); n != 4 || doc.Find("figure.ev-figure details.ev-data table").Length() != 4 {
		t.Errorf("%d figures / tables", n)
	}
	if doc.Find(`link[rel="stylesheet"][href="/static/chart.x.css"]`).Length() != 1 {
		t.Error("chart.css not linked")
	}
	ids := map[string]bool{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if ids[id] {
			t.Errorf("duplicate id %q", id)
		}
		ids[id] = true
	})
	if doc.Find(testid("retry-formula")).Text() != "3 × 2 = 6" || doc.Find(testid("budget-link")).AttrOr("href", "") != "/budget?rpm=40" {
		t.Error("retry card or budget link missing")
	}
}

func TestMinuteText(t *testing.T) {
	if got := minuteText("0000-11-20T21:34:00Z"); got != "11-20 21:34" {
		t.Errorf("year-less minute %q", got)
	}
	if got := minuteText("2024-05-01T10:01:00Z"); got != "2024-05-01 10:01" {
		t.Errorf("minute %q", got)
	}
}

func TestBudgetHandler(t *testing.T) {
	s := newTestServer(t)
	t.Run("prefilled from a 429", func(t *testing.T) {
		rec := get(t, s, "/budget?rpm=3&tpm=60000")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		if doc.Find(testid("budget-rpm")).AttrOr("value", "") != "3" || doc.Find(testid("budget-tpm")).AttrOr("value", "") != "60000" {
			t.Error("limits not prefilled")
		}
		if doc.Find(testid("budget-results")).Length() != 0 {
			t.Error("results before the form was sent")
		}
		if doc.Find(testid("tier-unverified")).Length() == 0 {
			t.Error("no unverified label in the tier table")
		}
		if doc.Find(`nav [aria-current="page"]`).Text() != "Budget" {
			t.Error("nav does not mark Budget")
		}
	})
	t.Run("posted code", func(t *testing.T) {
		form := url.Values{}
		form.Set("code", `import autogen
llm_config = {"config_list": [{"model": "gpt-4o-mini", "api_key": "sk-proj-abcdefghijklmnopqrstuvwx1234"}]}
a = autogen.AssistantAgent("a", llm_config=llm_config)
u = autogen.UserProxyAgent("u", human_input_mode="NEVER", code_execution_config=False)
u.initiate_chat(a, message="go")
`)
		form.Set("tier", "openai-free")
		form.Set("go", "1")
		req := httptest.NewRequest(http.MethodPost, "/budget", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		body := rec.Body.String()
		if strings.Contains(body, "abcdefghijklmnopqrstuvwx1234") {
			t.Fatal("the pasted key is echoed")
		}
		doc := parse(t, rec)
		if got := doc.Find(testid("budget-summary")).Text(); !strings.Contains(got, "at call 4") {
			t.Errorf("summary %q", got)
		}
		if doc.Find(testid("throttle-snippet")).Length() != 3 || doc.Find(".code-block pre").Length() < 3 {
			t.Error("snippets missing")
		}
		if doc.Find("svg.ev-chart[role=img] title").Length() == 0 {
			t.Error("no accessible chart")
		}
		assertSecurityHeaders(t, rec.Header())
	})
	t.Run("code is not read from a GET", func(t *testing.T) {
		doc := parse(t, get(t, s, "/budget?go=1&rpm=3&code="+url.QueryEscape("a.initiate_chat(b)")))
		if doc.Find(testid("budget-code")).Text() != "" || doc.Find(testid("budget-code-note")).Length() != 0 {
			t.Error("GET read the code")
		}
	})
	t.Run("too much code", func(t *testing.T) {
		form := url.Values{"code": {strings.Repeat("x = 1\n", maxBudgetCode/6+4096)}}
		req := httptest.NewRequest(http.MethodPost, "/budget", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", rec.Code)
		}
	})
}
