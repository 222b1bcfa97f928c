package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// browserSession is one chromium tab (in its own browser context, so
// cookies are not shared between sessions) with helpers that fail the test.
type browserSession struct {
	t       *testing.T
	ctx     context.Context
	shots   string
	console *consoleLog
}

func newBrowserSession(t *testing.T, actx context.Context, shots string) (*browserSession, func()) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	b := &browserSession{t: t, ctx: ctx, shots: shots, console: watchConsole(ctx)}
	return b, func() { cancelTimeout(); cancel() }
}

func (b *browserSession) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browserSession) str(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v", expr, err)
	}
	return v
}

func (b *browserSession) boolean(expr string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v", expr, err)
	}
	return v
}

// fill sets a field's value and fires input, as a paste does.
func (b *browserSession) fill(sel, value string) {
	b.t.Helper()
	v, _ := json.Marshal(value)
	b.str(`(() => { const el = document.querySelector(` + jsString(sel) + `); el.focus(); el.value = ` + string(v) +
		`; el.dispatchEvent(new Event("input", {bubbles: true})); return el.value; })()`)
}

func (b *browserSession) save(name string) {
	b.t.Helper()
	b.shoot(name, chromedp.FullScreenshot(100))
}

// saveElement screenshots one element (full-page shots of long pages are
// too tall to look at).
func (b *browserSession) saveElement(sel, name string) {
	b.t.Helper()
	b.shoot(name, chromedp.Screenshot(css(sel)))
}

func (b *browserSession) shoot(name string, shot chromedp.Action[[]byte]) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(b.shots, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", p)
}

func (b *browserSession) consoleErrors() []string { return b.console.errors() }

func (b *browserSession) num(expr string) int {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v", expr, err)
	}
	return v
}

// box is the bounding box of the first visible element matching sel.
func (b *browserSession) box(sel string) rect {
	b.t.Helper()
	r, err := chromedp.Run(b.ctx, boxOf(sel))
	if err != nil {
		b.t.Fatalf("box of %s: %v", sel, err)
	}
	return r
}

func jsString(s string) string {
	v, _ := json.Marshal(s)
	return string(v)
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// TestBrowserDiagnose drives chromium through the wizard: a looping AutoGen
// 0.2 script gives the loop verdict with the flagged line marked and a
// working article link; an insufficient_quota traceback gives low-quota;
// Save & share gives a permalink that a fresh browser context opens with the
// pasted key masked; and one flow runs with JavaScript disabled.
func TestBrowserDiagnose(t *testing.T) {
	// Start the browser once; each session then opens its own browser
	// context (separate cookies, like a different person).
	actx := startChromium(t, 10*time.Minute)
	s, _, _ := newDiagServer(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	shots := screenshotDir(t)

	script := strings.Replace(loopScript, `os.environ["OPENAI_API_KEY"]`, `"`+fakeKey+`"`, 1)
	var permalink string

	t.Run("loop with JavaScript", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("open wizard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/diagnose"),
			chromedp.WaitVisible(css(`[data-testid="step-seeing"]`)))
		b.str(`window.__noReload = "yes"`)
		b.save("wizard-1-seeing-1280-light.png")
		b.do("next", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-setup"]`)))
		b.fill(`[data-testid="paste-input"]`, script)
		if v := b.str(`document.querySelector('[data-testid="paste-input"]').value`); strings.Contains(v, fakeKey) || !strings.Contains(v, "sk-proj-…") {
			t.Fatalf("key not masked in the browser on paste: %q", v)
		}
		b.do("setup summary", chromedp.WaitVisible(css(`[data-testid="setup-summary"]`)))
		if !b.boolean(`!document.querySelector('[data-mask-note]').hidden`) {
			t.Error("no note that a key was masked")
		}
		b.save("wizard-2-setup-1280-light.png")
		b.do("next", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-happened"]`)))
		if got := b.str(`document.querySelector('[data-testid="input-generation"]').textContent`); got != "AutoGen 0.2" {
			t.Errorf("generation shown %q", got)
		}
		b.do("results", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="verdict"]`)))
		if b.str(`window.__noReload || ""`) != "yes" {
			t.Error("the steps reloaded the page; with JavaScript they should update in place")
		}
		if got := b.str(`document.querySelector('[data-testid="verdict"]').dataset.cause`); got != "loop" {
			t.Fatalf("verdict %q, want loop", got)
		}
		if got := b.str(`document.querySelector('[data-rule="RLD1001"] [data-testid="marked-line"]').dataset.line`); got != "9" {
			t.Errorf("marked line %q, want 9", got)
		}
		if !b.boolean(`(() => { const m = document.querySelector('[data-testid="marked-line"]');
			const n = m.closest('tbody').querySelector('tr.code-line:not(.is-marked)');
			return getComputedStyle(m).backgroundColor !== getComputedStyle(n).backgroundColor; })()`) {
			t.Error("the marked line does not look different")
		}
		b.save("results-loop-1280-light.png")
		b.str(`document.documentElement.dataset.theme = "dark"`)
		b.save("results-loop-1280-dark.png")
		b.saveElement(`[data-rule="RLD1001"]`, "finding-1280-dark.png")
		b.do("phone", chromedp.EmulateViewport(390, 844))
		if b.boolean(`document.documentElement.scrollWidth > window.innerWidth + 1`) {
			t.Errorf("results overflow a 390px phone: %s px wide", b.str(`String(document.documentElement.scrollWidth)`))
		}
		b.save("results-loop-390-dark.png")
		b.saveElement(`[data-testid="verdict"]`, "verdict-390-dark.png")
		b.saveElement(`[data-rule="RLD1001"]`, "finding-390-dark.png")
		b.str(`document.documentElement.dataset.theme = "light"`)
		b.save("results-loop-390-light.png")
		b.do("desktop", chromedp.EmulateViewport(1280, 900))

		// Vote in place.
		b.do("vote", chromedp.Click(css(`[data-rule="RLD1001"] [data-testid="vote-yes"]`)),
			chromedp.WaitVisible(css(`[data-rule="RLD1001"] [data-testid="vote-thanks"]`)))

		// Save & share: lands on the permalink with the delete token.
		b.do("save", chromedp.Click(css(`[data-testid="save-share"]`)), chromedp.WaitVisible(css(`[data-testid="owner-panel"]`)))
		loc, err := chromedp.Run(b.ctx, chromedp.Location())
		if err != nil || !strings.Contains(loc, "/reports/") {
			t.Fatalf("after save at %q (%v)", loc, err)
		}
		permalink = loc
		b.save("report-owner-1280-light.png")

		// Follow the verdict's article link.
		b.do("article", chromedp.Click(css(`[data-testid="verdict-article"]`)), chromedp.WaitVisible(css(`[data-testid="article-title"]`)))
		loc, _ = chromedp.Run(b.ctx, chromedp.Location())
		if !strings.HasSuffix(loc, "/articles/agent-loops") {
			t.Errorf("article link went to %s", loc)
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("permalink in a fresh context", func(t *testing.T) {
		if permalink == "" {
			t.Skip("no permalink (the save step failed)")
		}
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("open permalink", chromedp.Navigate(permalink), chromedp.WaitVisible(css(`[data-testid="verdict"]`)))
		if b.boolean(`!!document.querySelector('[data-testid="owner-panel"]')`) {
			t.Error("a fresh context sees the delete token")
		}
		b.str(`document.querySelectorAll('details.saved-input').forEach(d => d.open = true); ""`)
		text := b.str(`document.body.innerText`)
		if strings.Contains(text, fakeKey) || strings.Contains(b.str(`document.documentElement.outerHTML`), fakeKey[8:30]) {
			t.Fatal("the saved report shows the pasted key")
		}
		if !strings.Contains(text, "sk-proj-…"+fakeKey[len(fakeKey)-4:]) {
			t.Errorf("the masked key is not shown in the saved input")
		}
		b.save("report-shared-1280-light.png")
	})

	t.Run("insufficient_quota with JavaScript", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("open wizard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/diagnose"),
			chromedp.WaitVisible(css(`[data-testid="error-input"]`)))
		b.fill(`[data-testid="error-input"]`, quotaTraceback)
		b.do("recognised at once", chromedp.WaitVisible(css(`[data-testid="recognised"]`)))
		if got := b.str(`document.querySelector('[data-testid="recognised-kind"]').textContent`); !strings.Contains(got, "insufficient quota") {
			t.Errorf("recognised kind %q", got)
		}
		b.save("wizard-recognised-1280-light.png")
		b.do("jump to results", chromedp.Click(css(`[data-testid="goto-results"]`)), chromedp.WaitVisible(css(`[data-testid="verdict"]`)))
		if got := b.str(`document.querySelector('[data-testid="verdict"]').dataset.cause`); got != "low-quota" {
			t.Errorf("verdict %q, want low-quota", got)
		}
		b.str(`document.documentElement.dataset.theme = "dark"`)
		b.save("results-quota-1280-dark.png")
	})

	t.Run("Back and Forward move between steps", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("open wizard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/diagnose"),
			chromedp.WaitVisible(css(`[data-testid="step-seeing"]`)))
		b.str(`window.__noReload = "yes"`)
		b.fill(`[data-testid="error-input"]`, quotaTraceback)
		b.do("tick a symptom", chromedp.Click(css(`[data-testid="symptom-first-call"]`)))
		b.do("to setup", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-setup"]`)))
		b.fill(`[data-testid="paste-input"]`, script)
		b.do("to happened", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-happened"]`)))
		b.fill(`[data-testid="log-input"]`, "typed on step 3")
		b.do("let the entry take the typing", chromedp.Sleep(600*time.Millisecond))
		steps := b.num(`history.length`)

		// Back: the setup step, with the script as it was (masked), in place.
		b.do("back to setup", chromedp.NavigateBack(), chromedp.WaitVisible(css(`[data-testid="step-setup"]`)))
		if v := b.str(`document.querySelector('[data-testid="paste-input"]').value`); !strings.Contains(v, "sk-proj-…") || strings.Contains(v, fakeKey) {
			t.Errorf("setup step restored without the masked script: %.80q", v)
		}
		if b.str(`document.activeElement.id`) != "step-title" {
			t.Error("focus is not on the restored step's title")
		}
		// Back again: the first step, with the error text and the symptom.
		b.do("back to seeing", chromedp.NavigateBack(), chromedp.WaitVisible(css(`[data-testid="step-seeing"]`)))
		if v := b.str(`document.querySelector('[data-testid="error-input"]').value`); !strings.Contains(v, "insufficient_quota") {
			t.Errorf("error text not restored: %.80q", v)
		}
		if !b.boolean(`document.querySelector('[data-testid="symptom-first-call"]').checked`) {
			t.Error("the ticked symptom was not restored")
		}
		// Forward twice: the third step again, with what was typed there.
		b.do("forward to setup", chromedp.NavigateForward(), chromedp.WaitVisible(css(`[data-testid="step-setup"]`)))
		b.do("forward to happened", chromedp.NavigateForward(), chromedp.WaitVisible(css(`[data-testid="step-happened"]`)))
		if v := b.str(`document.querySelector('[data-testid="log-input"]').value`); v != "typed on step 3" {
			t.Errorf("log text after Forward: %q", v)
		}
		if b.str(`window.__noReload || ""`) != "yes" || b.num(`history.length`) != steps {
			t.Error("Back/Forward reloaded the page or added history entries")
		}
		if loc, _ := chromedp.Run(b.ctx, chromedp.Location()); !strings.HasSuffix(loc, "/diagnose") {
			t.Errorf("Back left the wizard: %s", loc)
		}
		// Leave for another page and come Back: the step is still there.
		b.do("leave", chromedp.Navigate(srv.URL+"/rules"), chromedp.WaitVisible(css(`[data-testid="rules-table"]`)))
		b.do("come back", chromedp.NavigateBack(), chromedp.WaitVisible(css(`[data-testid="step-happened"]`)))
		// A link to /diagnose (the menu, Start over) starts afresh, even
		// though the browser treats it as a reload of the same entry.
		b.do("start over", chromedp.Click(css(`[data-testid="main-nav"] a[href="/diagnose"]`)), chromedp.WaitVisible(css(`[data-testid="step-seeing"]`)))
		b.do("settle", chromedp.Sleep(500*time.Millisecond))
		if b.str(`document.getElementById("wizard").dataset.step`) != "seeing" || b.str(`document.querySelector('[data-testid="error-input"]').value`) != "" {
			t.Error("a fresh /diagnose did not start at an empty first step")
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("timeline chart and rule page", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("open wizard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/diagnose"),
			chromedp.WaitVisible(css(`[data-testid="goto-happened"]`)))
		b.do("to step 3", chromedp.Click(css(`[data-testid="goto-happened"]`)), chromedp.WaitVisible(css(`[data-testid="log-input"]`)))
		b.fill(`[data-testid="log-input"]`, burstLog())
		b.do("results", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-results"]`)))
		if !b.boolean(`!!document.querySelector('[data-testid="ev-requests"]')`) {
			b.save("chart-missing.png")
			t.Fatalf("no timeline chart; the page says: %.600s", b.str(`document.querySelector('[data-testid="results"]').innerText`))
		}
		if !b.boolean(`!!document.querySelector('[data-testid="ev-requests"] svg title') && !!document.querySelector('[data-testid="ev-requests"] .chart-limit')`) {
			t.Error("chart without a title or a limit line")
		}
		if !b.boolean(`(() => { const q = s => document.querySelector('[data-testid="ev-requests"] ' + s); const r = q('.chart-col-429'); return !!r && !!q('.chart-mark-429') && getComputedStyle(r).fill !== getComputedStyle(q('.chart-col:not(.chart-col-429)')).fill; })()`) {
			t.Error("429s are not drawn in their own colour")
		}
		b.saveElement(`[data-testid="ev-requests"]`, "chart-1280-light.png")
		b.str(`document.documentElement.dataset.theme = "dark"`)
		b.saveElement(`[data-testid="ev-requests"]`, "chart-1280-dark.png")
		b.str(`document.documentElement.dataset.theme = "light"`)
		b.do("rule page", chromedp.Navigate(srv.URL+"/rules/RLD1001"), chromedp.WaitVisible(css(`[data-testid="rule-example"]`)))
		b.save("rule-RLD1001-1280-light.png")
		b.str(`document.documentElement.dataset.theme = "light"`)
		b.do("rules index", chromedp.Navigate(srv.URL+"/rules"), chromedp.WaitVisible(css(`[data-testid="rules-table"]`)))
		b.save("rules-1280-light.png")
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("upload read in the browser", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		file := filepath.Join(t.TempDir(), "agents.py")
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		b.do("open setup", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/diagnose"),
			chromedp.Click(css(`[data-testid="goto-setup"]`)), chromedp.WaitVisible(css(`[data-testid="upload"]`)))
		b.do("upload", chromedp.SetUploadFiles(css(`[data-testid="upload"]`), []string{file}),
			chromedp.WaitVisible(css(`[data-testid="setup-summary"]`)))
		if got := b.str(`document.querySelector('input[name="paste_name"]').value`); got != "agents.py" {
			t.Errorf("uploaded file's box is named %q", got)
		}
		v := b.str(`document.querySelector('[data-testid="paste-input"]').value`)
		if strings.Contains(v, fakeKey) || !strings.Contains(v, "UserProxyAgent") {
			t.Errorf("uploaded text not read into the box with its key masked: %.80q", v)
		}
		if b.str(`document.querySelector('[data-testid="upload"]').value`) != "" {
			t.Error("the raw file would still be sent")
		}
		b.do("results", chromedp.Click(css(`[data-testid="goto-results"]`)), chromedp.WaitVisible(css(`[data-testid="verdict"]`)))
		if got := b.str(`document.querySelector('[data-testid="verdict"]').dataset.cause`); got != "loop" {
			t.Errorf("verdict after upload %q, want loop", got)
		}
	})

	t.Run("JavaScript disabled", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("disable scripts", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
		q := url.Values{"error": {"key " + fakeKey + "\n" + quotaTraceback}}
		b.do("open prefilled", chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/diagnose?"+q.Encode()),
			chromedp.WaitVisible(css(`[data-testid="recognised"]`)))
		b.save("wizard-nojs-390-light.png")
		b.do("next (full page)", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-setup"]`)))
		b.do("type a paste", chromedp.SendKeys(css(`[data-testid="paste-input"]`), "import autogen\nx = autogen.UserProxyAgent('u', human_input_mode='NEVER')\n"))
		b.do("results (full page)", chromedp.Click(css(`[data-testid="goto-results"]`)), chromedp.WaitVisible(css(`[data-testid="verdict"]`)))
		if got := b.str(`document.querySelector('[data-testid="verdict"]').dataset.cause`); got != "low-quota" {
			t.Errorf("verdict %q, want low-quota", got)
		}
		if strings.Contains(b.str(`document.documentElement.outerHTML`), fakeKey[8:30]) {
			t.Error("with JavaScript off the key came back in the page")
		}
		if !strings.Contains(b.str(`document.body.innerText`), "masked before sending") {
			t.Error("no note that the key was masked")
		}
		b.save("results-nojs-390-light.png")
		b.do("vote without JS", chromedp.Click(css(`[data-testid="vote-yes"]`)), chromedp.WaitVisible(css(`[data-testid="vote-thanks-page"]`)))
	})
}

// burstLog is an OPENAI_LOG=info run over six minutes against a limit of 3
// requests per minute: the minutes over the limit get 429s.
func burstLog() string {
	var b strings.Builder
	for m, n := range []int{2, 4, 7, 9, 5, 3} {
		for i := 0; i < n; i++ {
			status := `"HTTP/1.1 200 OK"`
			if i >= 3 {
				status = `"HTTP/1.1 429 Too Many Requests"`
			}
			fmt.Fprintf(&b, "[2024-09-05 14:%02d:%02d - httpx:1026 - INFO] HTTP Request: POST https://api.openai.com/v1/chat/completions %s\n", m, 5+i*6, status)
		}
	}
	b.WriteString("openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}\n")
	return b.String()
}
