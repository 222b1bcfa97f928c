package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/chromedp/chromedp"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// browserEvidence is a run with every kind of evidence: a timeline with
// tokens, 429s and a limit, agents, tool sizes, retry math and budgets.
func browserEvidence() *diagnose.Evidence {
	ev := &diagnose.Evidence{LimitRPM: 40, LimitTPM: 60000, Source: "storm.db",
		CallsPerAgent: []diagnose.Count{{Label: "researcher", N: 18}, {Label: "writer", N: 17}, {Label: "critic", N: 16}},
		ToolResults:   []diagnose.ToolSize{{Tool: "scrape_page", Chars: 32900, File: "tools.db"}, {Tool: "search", Chars: 4100, File: "run.log", Line: 88}},
		Retry:         &diagnose.RetryMath{PerCall: 24, SharedBy: 3, Burst: 72, Formula: "3 (client: 1 + default max_retries 2) × 2 (AutoGen failover over 2 config_list entries) × 4 (tenacity @retry) = 24 requests per call; × 3 sharing one key = 72 at once", Keep: "Keep the model client's own retries.", Changes: []string{"remove the tenacity @retry (it does not back off)"}},
		Budget:        []diagnose.ChatBudget{{Name: "user_proxy → assistant", File: "agents.py", Line: 17, Pattern: "two-agent", Expected: 7, Worst: 7, Steps: []string{"assistant replies ≤ min(sender cap 5 + 1, assistant cap 100) = 6", "summary_method=reflection_with_llm: + 1 call"}}},
	}
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	for i, r := range []int{12, 30, 45, 38, 6, 0, 22} {
		m := diagnose.TimelineMinute{Start: start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), Requests: r, Tokens: r * 1200}
		if r > 40 || i == 4 {
			m.RateLimited = 5
		}
		ev.Timeline = append(ev.Timeline, m)
	}
	return ev
}

// TestEvidenceChartsInBrowser renders the evidence section and the budget
// page in chromium, light and dark: every chart has a visible box, the
// colours follow the theme, the snippets get copy buttons, and nothing
// breaks the CSP.
func TestEvidenceChartsInBrowser(t *testing.T) {
	root := startChromium(t, 2*time.Minute)
	s := newTestServer(t)
	mux := http.NewServeMux()
	// A page holding only the evidence section, served with the site's
	// layout, assets and security headers (through the site's handler for
	// everything else).
	mux.HandleFunc("/evidence-test", func(w http.ResponseWriter, r *http.Request) {
		v := NewEvidenceView(browserEvidence(), EvidenceOptions{CSS: s.assets.URL("chart.css")})
		page := templ.ComponentFunc(func(ctx context.Context, w2 io.Writer) error {
			return Layout(s.layout("Evidence", SectionDiagnose)).Render(templ.WithChildren(ctx, EvidenceCharts(v)), w2)
		})
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := page.Render(r.Context(), w); err != nil {
			t.Error(err)
		}
	})
	mux.Handle("/", s.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	shots := screenshotDir(t)

	b, done := newBrowserSession(t, root, shots)
	defer done()
	do, str, num, box, save := b.do, b.str, b.num, b.box, b.save
	setTheme := func(theme string) {
		t.Helper()
		str(`(document.documentElement.setAttribute('data-theme', '` + theme + `'), '')`)
		do("repaint", chromedp.Sleep(50*time.Millisecond))
	}

	charts := []string{`[data-testid="ev-requests"] svg`, `[data-testid="ev-tokens"] svg`, `[data-testid="ev-agents"] svg`, `[data-testid="ev-tools"] svg`}
	do("open evidence", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/evidence-test"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="evidence"]`)))
	colours := map[string]string{}
	for _, theme := range []string{"light", "dark"} {
		setTheme(theme)
		for _, sel := range charts {
			if b := box(sel); b.Width < 300 || b.Height < 50 {
				t.Errorf("%s: %s is not visible: %+v", theme, sel, b)
			}
		}
		// The limit line, a 429 marker and a bar each have a box of their own.
		for _, sel := range []string{`[data-testid="ev-requests"] .chart-limit`, `[data-testid="ev-requests"] .chart-mark-429`, `[data-testid="ev-agents"] .chart-hbar`} {
			if b := box(sel); b.Width == 0 && b.Height == 0 {
				t.Errorf("%s: %s has no box", theme, sel)
			}
		}
		colours[theme] = str(`getComputedStyle(document.querySelector('.chart-col')).fill + ' ' + getComputedStyle(document.querySelector('svg.ev-chart text')).fill`)
		limitDash := str(`getComputedStyle(document.querySelector('.chart-limit')).strokeDasharray`)
		if limitDash == "none" || limitDash == "" {
			t.Errorf("%s: the limit line is not dashed (%q): chart.css not applied", theme, limitDash)
		}
		save("evidence-1280-" + theme + ".png")
	}
	if colours["light"] == colours["dark"] || colours["light"] == "" {
		t.Errorf("chart colours do not follow the theme: %q", colours)
	}
	// The data tables open.
	do("open data", chromedp.Click(chromedp.CSS(`[data-testid="ev-agents"] details summary`)), chromedp.Sleep(50*time.Millisecond))
	if b := box(`[data-testid="ev-agents"] details table`); b.Height == 0 {
		t.Error("the agents data table does not open")
	}

	// The budget page with the free tier: results, a chart and snippets
	// with copy buttons (added by app.js to .code-block).
	setTheme("light")
	do("open budget", chromedp.Navigate(srv.URL+"/budget?go=1&pattern=two-agent&tier=openai-free&concurrency=2"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="budget-results"]`)))
	if got := str(`document.querySelector('[data-testid="budget-summary"]').textContent`); !strings.Contains(got, "at call") {
		t.Errorf("budget summary %q", got)
	}
	if n := num(`document.querySelectorAll('[data-testid="throttle-snippet"] > button.copy-btn').length`); n != 3 {
		t.Errorf("%d copy buttons on the 3 snippets", n)
	}
	if b := box(`[data-testid="chat-budget"] svg.ev-chart`); b.Width < 300 {
		t.Errorf("budget chart not visible: %+v", b)
	}
	save("budget-1280-light.png")
	setTheme("dark")
	save("budget-1280-dark.png")
	do("phone", chromedp.EmulateViewport(360, 800), chromedp.Sleep(50*time.Millisecond))
	if num(`document.documentElement.scrollWidth > window.innerWidth + 1 ? 1 : 0`) != 0 {
		wide := str(`[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + '@' + Math.round(e.getBoundingClientRect().right) + '/' + window.innerWidth + ':' + (e.textContent || '').slice(0, 40)).join(' | ')`)
		t.Errorf("budget page scrolls sideways at 360px: %s", wide)
	}
	save("budget-360-dark.png")

	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("browser errors (CSP violations or script errors):\n%s", strings.Join(errs, "\n"))
	}
}
