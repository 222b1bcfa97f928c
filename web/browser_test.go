package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// chromiumPath finds Debian's chromium. Under CI=true a missing browser is a
// failure, not a skip: .ci/run installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found; CI must install it (apt-get install -y chromium)")
	}
	t.Skip("chromium not installed; the browser test runs under CI=true")
	return ""
}

// screenshotDir is $RLD_SCREENSHOT_DIR when set (to keep the PNGs), else a temp dir.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("RLD_SCREENSHOT_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// startChromium starts one headless chromium for the test (stopped by
// t.Cleanup) and returns the context of its first tab, bounded by timeout.
// Sessions that must not share cookies open their own browser context on it
// (newBrowserSession).
func startChromium(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// consoleLog collects a tab's console errors and uncaught exceptions: a
// CSP violation or a script error shows up here.
type consoleLog struct {
	mu   sync.Mutex
	errs []string
}

func watchConsole(ctx context.Context) *consoleLog {
	c := &consoleLog{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				c.mu.Lock()
				c.errs = append(c.errs, string(m.Type)+": "+m.Text)
				c.mu.Unlock()
			}
		}
	}()
	return c
}

func (c *consoleLog) errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errs...)
}

type rect struct{ Left, Top, Right, Bottom, Width, Height float64 }

// boxOf returns the bounding box of the first visible element matching sel
// (all zero when none is visible).
func boxOf(sel string) chromedp.Action[rect] {
	return chromedp.Evaluate[rect](fmt.Sprintf(`(() => {
		const el = [...document.querySelectorAll(%q)].find(e => e.offsetParent !== null);
		if (!el) return {Left:0,Top:0,Right:0,Bottom:0,Width:0,Height:0};
		const b = el.getBoundingClientRect();
		return {Left:b.left, Top:b.top, Right:b.right, Bottom:b.bottom, Width:b.width, Height:b.height};
	})()`, sel))
}

// TestBrowser drives a real chromium through the site: the door to the
// articles, the side-by-side compare block, highlighted code, version tabs,
// the "/" shortcut, the theme toggle, and screenshots at two widths.
func TestBrowser(t *testing.T) {
	ctx := startChromium(t, 90*time.Second)
	srv := httptest.NewServer(newTestServer(t).Handler()) // listens on 127.0.0.1:0
	defer srv.Close()
	shots := screenshotDir(t)
	console := watchConsole(ctx)

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string, out any) {
		t.Helper()
		var err error
		switch o := out.(type) {
		case *bool:
			*o, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		case *int:
			*o, err = chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		case *string:
			*o, err = chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		default:
			t.Fatalf("eval: unsupported %T", out)
		}
		if err != nil {
			t.Fatalf("evaluate %q: %v", expr, err)
		}
	}
	box := func(sel string) rect {
		t.Helper()
		r, err := chromedp.Run(ctx, boxOf(sel))
		if err != nil {
			t.Fatalf("box of %s: %v", sel, err)
		}
		return r
	}
	save := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		p := filepath.Join(shots, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}

	// Let the page use the clipboard, so the copy button can be checked.
	for _, perm := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm, AllowWithoutSanitization: true},
			Setting:    browser.PermissionSettingGranted, Origin: srv.URL,
		}); err != nil {
			t.Fatalf("grant %s: %v", perm, err)
		}
	}

	// Home, then the "Read the fixes" door, then the loop article.
	do("open home", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="door-articles"]`)))
	do("follow the door", chromedp.Click(chromedp.CSS(`[data-testid="door-articles"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="cause-group"]`)))
	do("open an article", chromedp.Click(chromedp.CSS(`[data-cause="loop"] [data-testid="article-card"] h3 a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-title"]`)))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/articles/agent-loops") {
		t.Fatalf("landed on %s (%v), want the agent-loops article", loc, err)
	}

	// Broken and fixed side by side at 1280px.
	broken, fixed := box(".compare .compare-broken"), box(".compare .compare-fixed")
	if broken.Width < 100 || fixed.Width < 100 || broken.Height == 0 || fixed.Height == 0 {
		t.Fatalf("compare sides not visible: broken %+v fixed %+v", broken, fixed)
	}
	if broken.Right > fixed.Left || abs(broken.Top-fixed.Top) > 2 {
		t.Errorf("compare sides not side by side: broken %+v fixed %+v", broken, fixed)
	}

	// Highlighted code: chroma spans exist and their colour differs from plain text.
	var highlighted bool
	eval(`(() => {
		const pre = document.querySelector('.code-block[data-lang="python"] pre.chroma');
		const spans = pre ? [...pre.querySelectorAll('span[class]')] : [];
		const base = getComputedStyle(pre).color;
		return spans.length > 0 && spans.some(s => getComputedStyle(s).color !== base);
	})()`, &highlighted)
	if !highlighted {
		t.Error("code is not highlighted (no coloured chroma spans)")
	}
	var copyButtons, codeBlocks int
	eval(`document.querySelectorAll('.code-block > button.copy-btn').length`, &copyButtons)
	eval(`document.querySelectorAll('.code-block').length`, &codeBlocks)
	if copyButtons == 0 || copyButtons != codeBlocks {
		t.Errorf("%d copy buttons for %d code blocks", copyButtons, codeBlocks)
	}
	do("copy code", chromedp.Click(chromedp.CSS(`.code-block[data-lang="python"] > button.copy-btn`)), chromedp.Sleep(100*time.Millisecond))
	var copyLabel, clip string
	eval(`document.querySelector('.code-block[data-lang="python"] > button.copy-btn').textContent`, &copyLabel)
	if copyLabel != "Copied" {
		t.Errorf("copy button says %q after a click, want Copied", copyLabel)
	}
	clip, err = chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(clip, "initiate_chat") {
		t.Errorf("clipboard holds %q (%v), want the python code", clip, err)
	}
	save("article-1280-light.png")

	// The table of contents marks the section in view.
	var tocCurrent string
	eval(`(window.scrollTo({top: document.getElementById('why-it-works').getBoundingClientRect().top + window.scrollY - 80, behavior: 'instant'}), '')`, &tocCurrent)
	do("let the page react to the scroll", chromedp.Sleep(200*time.Millisecond))
	eval(`(document.querySelector('.toc-wide a[aria-current="location"]') || {textContent: ''}).textContent`, &tocCurrent)
	if tocCurrent != "Why it works" {
		t.Errorf("TOC marks %q as current after scrolling to 'Why it works'", tocCurrent)
	}

	// Switch the version tab: the 0.4 panel shows, the 0.2 panel hides, and the choice is remembered.
	do("switch tab", chromedp.Click(chromedp.CSS(`.tabs label.tab-label[data-tab-key="0.4"]`)), chromedp.Sleep(100*time.Millisecond))
	if box(`.tabs .tab-panel[data-tab-key="0.4"]`).Height == 0 {
		t.Error("0.4 panel not visible after choosing its tab")
	}
	if box(`.tabs .tab-panel[data-tab-key="0.2"]`).Height != 0 {
		t.Error("0.2 panel still visible after choosing 0.4")
	}
	var savedTab string
	eval(`localStorage.getItem('rld-autogen') || ''`, &savedTab)
	if savedTab != "0.4" {
		t.Errorf("saved tab = %q, want 0.4", savedTab)
	}

	// "/" focuses the search box; typing "/" inside it types; Esc leaves it.
	var focused string
	eval(`(document.activeElement && document.activeElement.blur(), '')`, &focused)
	do("press /", pressKey("/", "Slash", 191, "/"))
	eval(`document.activeElement.id`, &focused)
	if focused != "site-search" {
		t.Errorf("after '/', focus is on %q, want site-search", focused)
	}
	do("type in search", pressKey("a", "KeyA", 65, "a"), pressKey("/", "Slash", 191, "/"), pressKey("b", "KeyB", 66, "b"))
	typed, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#site-search`)))
	if err != nil || typed != "a/b" {
		t.Errorf("typing in the search box gave %q (%v): the shortcut must not steal '/'", typed, err)
	}
	do("press Esc", pressKey("Escape", "Escape", 27, ""))
	eval(`document.activeElement.id`, &focused)
	if focused == "site-search" {
		t.Error("Esc did not leave the search box")
	}

	// Theme toggle: system → light → dark, applied and remembered.
	do("toggle dark", chromedp.WaitVisible(chromedp.CSS(`#theme-toggle`)),
		chromedp.Click(chromedp.CSS(`#theme-toggle`)), chromedp.Click(chromedp.CSS(`#theme-toggle`)))
	var theme, bg, stored string
	eval(`document.documentElement.getAttribute('data-theme') || ''`, &theme)
	eval(`getComputedStyle(document.body).backgroundColor`, &bg)
	eval(`localStorage.getItem('rld-theme') || ''`, &stored)
	if theme != "dark" || stored != "dark" {
		t.Errorf("after two clicks: data-theme %q, stored %q; want dark", theme, stored)
	}
	if bg != "rgb(17, 20, 24)" {
		t.Errorf("dark body background = %s", bg)
	}
	save("article-1280-dark.png")

	// The choice survives a reload: theme.js applies it in <head>.
	do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-title"]`)))
	eval(`document.documentElement.getAttribute('data-theme') || ''`, &theme)
	if theme != "dark" {
		t.Errorf("after reload data-theme = %q", theme)
	}

	// Phone width: the compare block stacks and nothing scrolls sideways.
	do("phone", chromedp.EmulateViewport(360, 800),
		chromedp.Click(chromedp.CSS(`.tabs label.tab-label[data-tab-key="0.2"]`)), chromedp.Sleep(100*time.Millisecond))
	broken, fixed = box(".compare .compare-broken"), box(".compare .compare-fixed")
	if broken.Height == 0 || fixed.Top < broken.Bottom {
		t.Errorf("compare not stacked at 360px: broken %+v fixed %+v", broken, fixed)
	}
	var overflow bool
	eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
	if overflow {
		t.Error("page scrolls sideways at 360px")
	}
	save("article-360-dark.png")

	// Without JavaScript the version tabs still switch (CSS :checked).
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable scripts: %v", err)
	}
	do("no-JS article", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/articles/agent-loops"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-title"]`)))
	var copyCount int
	eval(`document.querySelectorAll('.copy-btn').length`, &copyCount)
	if copyCount != 0 {
		t.Fatalf("scripts still ran (%d copy buttons)", copyCount)
	}
	if box(`.tabs .tab-panel[data-tab-key="0.2"]`).Height == 0 {
		t.Error("no-JS: first tab panel not visible")
	}
	do("no-JS switch tab", chromedp.Click(chromedp.CSS(`.tabs label.tab-label[data-tab-key="0.4"]`)), chromedp.Sleep(100*time.Millisecond))
	if box(`.tabs .tab-panel[data-tab-key="0.4"]`).Height == 0 || box(`.tabs .tab-panel[data-tab-key="0.2"]`).Height != 0 {
		t.Error("no-JS: choosing the 0.4 tab did not switch panels")
	}

	// Every built-in article: no console error (CSP violation, script error)
	// and no sideways scrolling on a 360px phone.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatalf("enable scripts: %v", err)
	}
	lib, err := content.Load(content.Options{})
	if err != nil {
		t.Fatalf("load built-in articles: %v", err)
	}
	real := httptest.NewServer(newTestServerWith(t, lib).Handler())
	defer real.Close()
	do("phone width", chromedp.EmulateViewport(360, 800))
	for _, a := range lib.All() {
		do("open "+a.Slug, chromedp.Navigate(real.URL+a.URL()), chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-title"]`)))
		eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
		if overflow {
			var wide string
			eval(`[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className).join(', ')`, &wide)
			t.Errorf("%s scrolls sideways at 360px (too wide: %s)", a.URL(), wide)
		}
	}

	if errs := console.errors(); len(errs) > 0 {
		t.Errorf("browser errors (CSP violations or script errors):\n%s", strings.Join(errs, "\n"))
	}
}

// pressKey sends one key press the way a keyboard does: a keyDown carrying
// the text (so preventDefault on keydown suppresses the typed character, as
// in a real browser) and a keyUp. chromedp.KeyEvent sends the character as a
// separate event that preventDefault cannot stop.
func pressKey(key, code string, keyCode int64, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: code,
			WindowsVirtualKeyCode: keyCode, NativeVirtualKeyCode: keyCode, Text: text, UnmodifiedText: text}
		if text == "" {
			down.Type = input.DispatchKeyEventTypeRawKeyDown
		}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: code,
			WindowsVirtualKeyCode: keyCode, NativeVirtualKeyCode: keyCode}
		_, err := chromedp.Call(ctx, input.DispatchKeyEvent, up)
		return err
	})
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
