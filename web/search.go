package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// SearchView is the search page in one of three states: no query yet,
// a query with no match, or ranked results.
type SearchView struct {
	Layout  LayoutView
	Query   string
	Results []SearchResult
	// Suggestions are offered when there is no query or no match.
	Suggestions []ArticleCard
	// Examples are queries that are known to find something.
	Examples []PageLink
}

// SearchResult is one ranked hit.
type SearchResult struct {
	Title   string
	URL     string
	Summary string
	Badges  []string
	Snippet []SnippetPart
}

// SnippetPart is a piece of a result snippet; Match parts are highlighted.
// Parts are printed escaped; the highlight is our own <mark>, never input HTML.
type SnippetPart struct {
	Text  string
	Match bool
}

const (
	searchLimit    = 20
	maxQueryLength = 200 // longer queries are cut: nobody types more, and it bounds the work
)

// exampleQueries are offered on the empty and no-result states.
var exampleQueries = []string{"max_turns", "Retry-After", "insufficient_quota", "termination", "Azure deployment"}

// normalizeQuery trims a query and cuts it to maxQueryLength bytes on a rune boundary.
func normalizeQuery(q string) string {
	q = strings.TrimSpace(q)
	if len(q) > maxQueryLength {
		q = q[:maxQueryLength]
		for !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	return q
}

// newSearchView runs the query against the library and builds the page.
func newSearchView(lib *content.Library, layout LayoutView, q string) SearchView {
	v := SearchView{Layout: layout, Query: q}
	v.Layout.Query = q
	if q != "" {
		for _, h := range lib.Search(q, searchLimit) {
			r := SearchResult{Title: h.Article.Title, URL: h.Article.URL(), Summary: h.Article.Summary, Badges: autogenBadges(h.Article.AutoGen)}
			for _, p := range h.Snippet {
				r.Snippet = append(r.Snippet, SnippetPart{Text: p.Text, Match: p.Match})
			}
			v.Results = append(v.Results, r)
		}
	}
	if len(v.Results) == 0 {
		v.Suggestions = causeStarters(lib)
		for _, e := range exampleQueries {
			v.Examples = append(v.Examples, PageLink{Title: e, URL: "/search?q=" + urlQueryEscape(e)})
		}
	}
	return v
}

// causeStarters is the first article of every group: a good place to start.
func causeStarters(lib *content.Library) []ArticleCard {
	var out []ArticleCard
	for _, g := range lib.ByCause() {
		if len(g.Articles) > 0 {
			out = append(out, newArticleCard(g.Articles[0]))
		}
	}
	return out
}

// showSearch renders GET /search?q=.
func (s *Server) showSearch(c echo.Context) error {
	// A key pasted into the search box is masked before it is echoed back.
	q := normalizeQuery(redactText([]byte(c.QueryParam("q"))))
	title := "Search"
	if q != "" {
		title = "Search: " + q
	}
	return s.render(c, http.StatusOK, SearchPage(newSearchView(s.lib, s.layout(title, SectionSearch), q)))
}
