package web

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// assertCSPClean fails when a page has markup the Content-Security-Policy
// would block: inline scripts, style attributes or elements, event-handler
// attributes, or anything loaded from another host.
func assertCSPClean(t *testing.T, page string, doc *goquery.Document) {
	t.Helper()
	if n := doc.Find("script:not([src])").Length(); n > 0 {
		t.Errorf("%s: %d inline <script>", page, n)
	}
	if n := doc.Find("[style], style").Length(); n > 0 {
		t.Errorf("%s: %d inline styles", page, n)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%s: event handler attribute %s on <%s>", page, a.Key, s.Nodes[0].Data)
			}
			if (a.Key == "src" || (a.Key == "href" && s.Is("link"))) && !strings.HasPrefix(a.Val, "/") {
				t.Errorf("%s: <%s %s=%q> loads from another host", page, s.Nodes[0].Data, a.Key, a.Val)
			}
		}
	})
}

func TestPagesAreCSPClean(t *testing.T) {
	s := newTestServer(t)
	pages := []string{"/", "/articles", "/search?q=retry", "/search", "/nope"}
	for _, a := range s.lib.All() {
		pages = append(pages, a.URL())
	}
	for _, p := range pages {
		assertCSPClean(t, p, parse(t, get(t, s, p)))
	}
}

// TestBuiltinArticlesServe renders every real article through the server:
// each page answers 200, carries its title and obeys the CSP.
func TestBuiltinArticlesServe(t *testing.T) {
	lib, err := content.Load(content.Options{})
	if err != nil {
		t.Fatalf("load built-in articles: %v", err)
	}
	s := newTestServerWith(t, lib)
	for _, a := range lib.All() {
		rec := get(t, s, a.URL())
		if rec.Code != 200 {
			t.Errorf("%s: status %d", a.URL(), rec.Code)
			continue
		}
		doc := parse(t, rec)
		if doc.Find(testid("article-title")).Text() != a.Title {
			t.Errorf("%s: title %q", a.URL(), doc.Find(testid("article-title")).Text())
		}
		assertCSPClean(t, a.URL(), doc)
	}
	for _, p := range []string{"/", "/articles", "/search?q=max_turns"} {
		if rec := get(t, s, p); rec.Code != 200 {
			t.Errorf("%s: status %d", p, rec.Code)
		}
	}
}
