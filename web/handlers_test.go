package web

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

func newTestServer(t testing.TB) *Server {
	t.Helper()
	return newTestServerWith(t, testLibrary(t))
}

func newTestServerWith(t testing.TB, lib *content.Library) *Server {
	t.Helper()
	s, err := New(DefaultConfig(), Deps{Library: lib, Logger: discardLogger()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// get sends one request through the whole handler stack (middleware included).
func get(t testing.TB, s *Server, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func parse(t testing.TB, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

func testid(id string) string { return `[data-testid="` + id + `"]` }

// TestRoutes checks every route's status, content type and a key element.
func TestRoutes(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		path, wantType, wantTestID string
		wantStatus                 int
	}{
		{"/", "text/html", "doors", 200},
		{"/articles", "text/html", "cause-group", 200},
		{"/articles/agent-loops", "text/html", "article", 200},
		{"/search?q=retry", "text/html", "search-results", 200},
		{"/search", "text/html", "search-empty", 200},
		{"/search?q=zzzqqq", "text/html", "search-none", 200},
		{"/api/v1/articles", "application/json", "", 200},
		{"/healthz", "text/plain", "", 200},
		{"/articles/no-such-article", "text/html", "not-found", 404},
		{"/no/such/page", "text/html", "not-found", 404},
		{"/static/app.css", "text/css", "", 200},
		{"/static/nope.css", "text/html", "not-found", 404},
		{"/api/v1/nope", "application/json", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := get(t, s, tt.path)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body: %.300s", rec.Code, tt.wantStatus, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.wantType)
			}
			if tt.wantTestID != "" {
				if n := parse(t, rec).Find(testid(tt.wantTestID)).Length(); n == 0 {
					t.Errorf("no element %s", testid(tt.wantTestID))
				}
			}
			assertSecurityHeaders(t, rec.Header())
		})
	}
}

func assertSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if h.Get("Permissions-Policy") == "" {
		t.Error("Permissions-Policy missing")
	}
}

func TestHome(t *testing.T) {
	doc := parse(t, get(t, newTestServer(t), "/"))
	if href, _ := doc.Find(testid("door-articles")).Attr("href"); href != "/articles" {
		t.Errorf("articles door href = %q", href)
	}
	if href, _ := doc.Find(testid("door-diagnose")).Attr("href"); href != "/diagnose" {
		t.Errorf("diagnose door href = %q", href)
	}
	var causes []string
	doc.Find(testid("cause-card")).Each(func(_ int, s *goquery.Selection) {
		c, _ := s.Attr("data-cause")
		causes = append(causes, c)
	})
	if got, want := strings.Join(causes, ","), strings.Join(content.CoreCauses(), ","); got != want {
		t.Errorf("cause cards = %s, want %s", got, want)
	}
	if href, _ := doc.Find(`[data-cause="loop"] a`).Attr("href"); href != "/articles/agent-loops" {
		t.Errorf("loop card links %q, want its article", href)
	}
	if doc.Find(`nav[aria-label="Main"] a[href="/rules"]`).Length() != 1 {
		t.Error("main nav lacks Rules")
	}
	if doc.Find(`label[for="site-search"]`).Length() != 1 {
		t.Error("header search box has no label")
	}
}

func TestArticleIndex(t *testing.T) {
	doc := parse(t, get(t, newTestServer(t), "/articles"))
	var groups []string
	doc.Find(testid("cause-group")).Each(func(_ int, s *goquery.Selection) {
		c, _ := s.Attr("data-cause")
		groups = append(groups, c)
	})
	if got := strings.Join(groups, ","); got != "general,loop,shared-key,double-retry,noisy-tool,low-quota" {
		t.Errorf("groups = %s", got)
	}
	loop := doc.Find(`[data-cause="loop"]`)
	if !strings.Contains(loop.Find("h2").Text(), "Agent loops") {
		t.Errorf("loop group title = %q", loop.Find("h2").Text())
	}
	card := loop.Find(testid("article-card"))
	if card.Length() != 1 || !strings.Contains(card.Text(), "set max_turns") {
		t.Errorf("loop card = %q", card.Text())
	}
	if got := card.Find(testid("autogen-badge")).Length(); got != 2 {
		t.Errorf("loop card badges = %d, want 2", got)
	}
	if doc.Find(`a[aria-current="page"][href="/articles"]`).Length() != 1 {
		t.Error("Articles nav item not marked current")
	}
}

func TestArticlePage(t *testing.T) {
	s := newTestServer(t)
	rec := get(t, s, "/articles/agent-loops")
	doc := parse(t, rec)
	if got := doc.Find(testid("article-title")).Text(); got != "Agent loops that never stop" {
		t.Errorf("title = %q", got)
	}
	if got := doc.Find("title").Text(); !strings.HasPrefix(got, "Agent loops that never stop — ") {
		t.Errorf("<title> = %q", got)
	}
	if got := doc.Find(testid("last-verified")).Text(); got != "Last verified 25 November 2026" {
		t.Errorf("last verified = %q", got)
	}
	if dt, _ := doc.Find(testid("last-verified") + " time").Attr("datetime"); dt != "2026-11-25" {
		t.Errorf("datetime = %q", dt)
	}
	var toc []string
	doc.Find(testid("toc") + " a").Each(func(_ int, s *goquery.Selection) { toc = append(toc, s.Text()) })
	if got := strings.Join(toc, "|"); got != "Symptom|Fix|Why it works" {
		t.Errorf("toc = %s", got)
	}
	if doc.Find("details.toc-narrow summary").Length() != 1 {
		t.Error("no collapsible TOC for narrow screens")
	}
	body := doc.Find(testid("article-body"))
	for _, sel := range []string{".compare .compare-broken", ".compare .compare-fixed", ".tabs input.tab-radio", ".code-block pre.chroma span", "a.anchor", "aside.callout"} {
		if body.Find(sel).Length() == 0 {
			t.Errorf("article body has no %s", sel)
		}
	}
	if doc.Find(testid("related")+" "+testid("article-card")).Length() == 0 {
		t.Error("no related articles")
	}
	// Library order: general first, then loop, so prev is the general article.
	if href, _ := doc.Find(testid("prev")).Attr("href"); href != "/articles/what-rate-limit-exceeded-means" {
		t.Errorf("prev = %q", href)
	}
	if href, _ := doc.Find(testid("next")).Attr("href"); href != "/articles/shared-api-key" {
		t.Errorf("next = %q", href)
	}
	if doc.Find(testid("team-badge")).Length() != 0 {
		t.Error("built-in article shows a Team badge")
	}
	if rec.Header().Get("Etag") == "" {
		t.Error("no ETag")
	}
}

func TestArticleRevalidationAndGzip(t *testing.T) {
	s := newTestServer(t)
	plain := get(t, s, "/articles/agent-loops")
	etag := plain.Header().Get("Etag")
	if rec := get(t, s, "/articles/agent-loops", "If-None-Match", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: status %d, %d bytes; want 304, empty", rec.Code, rec.Body.Len())
	}
	if rec := get(t, s, "/articles/agent-loops", "If-None-Match", `"other"`); rec.Code != http.StatusOK {
		t.Errorf("stale If-None-Match: status %d", rec.Code)
	}
	rec := get(t, s, "/articles/agent-loops", "Accept-Encoding", "br, gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(unzipped) != plain.Body.String() {
		t.Error("gzip body differs from the plain body")
	}
	if rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary = %q", rec.Header().Get("Vary"))
	}
	if rec := get(t, s, "/articles/agent-loops", "Accept-Encoding", "gzip;q=0"); rec.Header().Get("Content-Encoding") != "" {
		t.Error("gzip sent although refused with q=0")
	}
}

func TestTeamArticleBadge(t *testing.T) {
	team := fstest.MapFS{"our-proxy-limits.md": {Data: []byte(`---
title: "Our proxy limits"
slug: our-proxy-limits
summary: "The team proxy allows 60 calls a minute."
cause: shared-key
autogen: ["0.4"]
updated: 2026-11-01
---

Ask the platform team for a second key.
`)}}
	lib, err := content.Load(content.Options{Builtin: osDirFS("testdata/articles"), TeamFS: team, TeamDir: "team"})
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, get(t, newTestServerWith(t, lib), "/articles/our-proxy-limits"))
	if doc.Find(testid("team-badge")).Length() != 1 {
		t.Error("team article has no Team badge")
	}
}

func TestSearch(t *testing.T) {
	s := newTestServer(t)
	doc := parse(t, get(t, s, "/search?q=Retry-After"))
	results := doc.Find(testid("search-result"))
	if results.Length() == 0 {
		t.Fatal("no results for Retry-After")
	}
	if href, _ := results.First().Find("a").Attr("href"); href != "/articles/stacked-retries" {
		t.Errorf("top result = %q, want the stacked-retries article", href)
	}
	if results.First().Find("mark").Length() == 0 {
		t.Error("top result has no highlighted match")
	}
	if v, _ := doc.Find(testid("search-input")).Attr("value"); v != "Retry-After" {
		t.Errorf("header search box value = %q", v)
	}

	// A query is printed escaped, never as markup.
	rec := get(t, s, "/search?q="+urlQueryEscape(`<script>alert(1)</script>`))
	if strings.Contains(rec.Body.String(), "<script>alert") {
		t.Error("query echoed unescaped")
	}
	none := parse(t, rec)
	if none.Find(testid("search-none")).Length() != 1 || none.Find(testid("search-example")).Length() == 0 {
		t.Error("no-result state lacks its message or example queries")
	}
	if none.Find(testid("article-card")).Length() == 0 {
		t.Error("no-result state suggests no articles")
	}
}

func TestAPIArticles(t *testing.T) {
	rec := get(t, newTestServer(t), "/api/v1/articles")
	var raw []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(raw) != 6 {
		t.Fatalf("%d articles, want 6", len(raw))
	}
	for _, a := range raw {
		if len(a) != 5 {
			t.Errorf("keys %v, want exactly slug,title,summary,cause,url", a)
		}
		for _, k := range []string{"slug", "title", "summary", "cause", "url"} {
			if s, ok := a[k].(string); !ok || s == "" {
				t.Errorf("%q missing or empty in %v", k, a)
			}
		}
		if a["url"] != "/articles/"+a["slug"].(string) {
			t.Errorf("url %v does not match slug %v", a["url"], a["slug"])
		}
	}
}

func TestNotFoundSuggests(t *testing.T) {
	rec := get(t, newTestServer(t), "/articles/agent-loop")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d", rec.Code)
	}
	doc := parse(t, rec)
	first, _ := doc.Find(testid("not-found-suggestions") + " a").First().Attr("href")
	if first != "/articles/agent-loops" {
		t.Errorf("first suggestion = %q, want /articles/agent-loops", first)
	}
	if v, _ := doc.Find(testid("not-found-search")).Attr("value"); v != "agent loop" {
		t.Errorf("search box value = %q, want the words of the path", v)
	}
}

func TestHeadRequests(t *testing.T) {
	s := newTestServer(t)
	for _, p := range []string{"/", "/articles/agent-loops", "/healthz", "/static/app.css"} {
		req := httptest.NewRequest(http.MethodHead, p, nil)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("HEAD %s: status %d", p, rec.Code)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/articles", nil)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /articles: status %d, want 405", rec.Code)
	}
}

func TestHealthz(t *testing.T) {
	rec := get(t, newTestServer(t), "/healthz")
	if rec.Code != 200 || rec.Body.String() != "ok" {
		t.Errorf("healthz = %d %q", rec.Code, rec.Body.String())
	}
}

func TestStaticAssets(t *testing.T) {
	s := newTestServer(t)
	doc := parse(t, get(t, s, "/"))
	var urls []string
	doc.Find(`link[rel="stylesheet"], script[src], link[rel="icon"]`).Each(func(_ int, sel *goquery.Selection) {
		u, ok := sel.Attr("href")
		if !ok {
			u, _ = sel.Attr("src")
		}
		urls = append(urls, u)
	})
	// The core assets every page needs; later features may add their own.
	for _, base := range []string{"app.", "chroma.", "theme.", "favicon."} {
		found := false
		for _, u := range urls {
			found = found || strings.HasPrefix(u, "/static/"+base)
		}
		if !found {
			t.Errorf("page does not load /static/%s* (loads %v)", base, urls)
		}
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, "/static/") || strings.Count(u, ".") < 2 {
			t.Errorf("asset URL %q is not a hashed /static/ URL", u)
		}
		rec := get(t, s, u)
		if rec.Code != 200 || rec.Body.Len() == 0 {
			t.Errorf("%s: status %d, %d bytes", u, rec.Code, rec.Body.Len())
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", u, cc)
		}
	}
	if cc := get(t, s, "/static/app.css").Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("unhashed name Cache-Control = %q, want no-cache", cc)
	}
	if rec := get(t, s, "/favicon.ico"); rec.Code != http.StatusMovedPermanently {
		t.Errorf("/favicon.ico = %d", rec.Code)
	}
}

func TestPanicBecomesCleanErrorPage(t *testing.T) {
	s := newTestServer(t)
	s.echo.GET("/test-panic", func(c echoContext) error { panic("boom") })
	rec := get(t, s, "/test-panic")
	if rec.Code != 500 {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	doc := parse(t, rec)
	if doc.Find(testid("error-page")).Length() != 1 {
		t.Error("no error page")
	}
	if strings.Contains(rec.Body.String(), "boom") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Error("panic details leaked into the page")
	}
	assertSecurityHeaders(t, rec.Header())
}

func TestHandlerErrorStatus(t *testing.T) {
	s := newTestServer(t)
	s.echo.GET("/test-error", func(c echoContext) error {
		return &PageError{Status: http.StatusBadRequest, Message: "That file is not Python.", Err: io.ErrUnexpectedEOF}
	})
	rec := get(t, s, "/test-error")
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "That file is not Python.") {
		t.Errorf("status %d, body %.200s", rec.Code, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "unexpected EOF") {
		t.Error("the cause leaked into the page")
	}
}
