package web

import (
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// NotFoundView is the 404 page: what went wrong, a search box pre-filled
// from the address, and articles that look like what was asked for.
type NotFoundView struct {
	Layout      LayoutView
	Path        string
	Message     string
	Query       string
	Suggestions []ArticleCard
}

// maxSuggestions bounds the 404 page's list.
const maxSuggestions = 4

// newNotFoundView builds the 404 page for a missing path.
func newNotFoundView(lib *content.Library, layout LayoutView, p, msg string) NotFoundView {
	q := queryFromPath(p)
	v := NotFoundView{Layout: layout, Path: p, Message: msg, Query: q}
	v.Suggestions = suggestArticles(lib, path.Base(strings.TrimSuffix(p, "/")), q)
	if len(v.Suggestions) == 0 {
		v.Suggestions = causeStarters(lib)
	}
	return v
}

// queryFromPath turns the last segment of a path into words to search for:
// "/articles/agent-loop" → "agent loop".
func queryFromPath(p string) string {
	seg := path.Base(strings.TrimSuffix(p, "/"))
	if seg == "/" || seg == "." {
		return ""
	}
	if u, err := url.PathUnescape(seg); err == nil {
		seg = u
	}
	seg = strings.TrimSuffix(seg, path.Ext(seg))
	words := strings.FieldsFunc(seg, func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || r == '+' || r == ' '
	})
	return normalizeQuery(strings.Join(words, " "))
}

// suggestArticles ranks articles whose slug is close to the missing segment
// (edit distance), then adds search hits for its words.
func suggestArticles(lib *content.Library, segment, q string) []ArticleCard {
	type near struct {
		a    *content.Article
		dist int
	}
	var close []near
	seg := strings.ToLower(segment)
	for _, a := range lib.All() {
		d := editDistance(seg, a.Slug)
		// Allow about a third of the slug to differ: typos and a missing
		// word match, unrelated slugs do not.
		if d <= len(a.Slug)/3 || (len(seg) >= 4 && strings.Contains(a.Slug, seg)) {
			close = append(close, near{a, d})
		}
	}
	sort.SliceStable(close, func(i, j int) bool { return close[i].dist < close[j].dist })

	seen := map[string]bool{}
	var out []ArticleCard
	add := func(a *content.Article) {
		if !seen[a.Slug] && len(out) < maxSuggestions {
			seen[a.Slug] = true
			out = append(out, newArticleCard(a))
		}
	}
	for _, n := range close {
		add(n.a)
	}
	if q != "" {
		for _, h := range lib.Search(q, maxSuggestions) {
			add(h.Article)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between two short strings (slugs).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// ErrorView is the page for any other error status.
type ErrorView struct {
	Layout  LayoutView
	Status  int
	Message string
}

func newErrorView(layout LayoutView, status int, msg string) ErrorView {
	return ErrorView{Layout: layout, Status: status, Message: msg}
}

// urlQueryEscape escapes a query value for a link.
func urlQueryEscape(s string) string { return url.QueryEscape(s) }
