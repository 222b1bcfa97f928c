package content

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
)

// newLibrary sorts the articles and precomputes groups, related lists and the
// search index, so every read afterwards is a lookup.
func newLibrary(articles []*Article) *Library {
	sort.SliceStable(articles, func(i, j int) bool { return articleLess(articles[i], articles[j]) })
	l := &Library{
		all:     articles,
		bySlug:  make(map[string]*Article, len(articles)),
		pos:     make(map[*Article]int, len(articles)),
		related: make(map[*Article][]*Article, len(articles)),
	}
	for i, a := range articles {
		l.bySlug[a.Slug] = a
		l.pos[a] = i
	}
	for _, c := range causeTable {
		g := CauseGroup{Cause: c.Cause, Title: c.Title, Blurb: c.Blurb}
		for _, a := range articles {
			if a.Cause == c.Cause {
				g.Articles = append(g.Articles, a)
			}
		}
		if len(g.Articles) > 0 {
			l.groups = append(l.groups, g)
		}
	}
	l.index = newSearchIndex(articles)
	for _, a := range articles {
		l.related[a] = l.rankRelated(a)
	}
	return l
}

// articleLess orders by cause group, then front matter order (an unset order
// comes after every set one), then title.
func articleLess(a, b *Article) bool {
	if ra, rb := causeRank(a.Cause), causeRank(b.Cause); ra != rb {
		return ra < rb
	}
	if oa, ob := orderKey(a.Order), orderKey(b.Order); oa != ob {
		return oa < ob
	}
	if a.Title != b.Title {
		return a.Title < b.Title
	}
	return a.Slug < b.Slug
}

func orderKey(order int) int {
	if order == 0 {
		return math.MaxInt
	}
	return order
}

// All returns every article, sorted by cause group, then order, then title.
// The slice is a copy; the articles are shared and must not be modified.
func (l *Library) All() []*Article { return append([]*Article(nil), l.all...) }

// Len is the number of articles.
func (l *Library) Len() int { return len(l.all) }

// Get returns the article with the given slug.
func (l *Library) Get(slug string) (*Article, bool) {
	a, ok := l.bySlug[slug]
	return a, ok
}

// ByCause returns the articles grouped by cause in index order; causes without
// articles are left out.
func (l *Library) ByCause() []CauseGroup {
	out := make([]CauseGroup, len(l.groups))
	for i, g := range l.groups {
		g.Articles = append([]*Article(nil), g.Articles...)
		out[i] = g
	}
	return out
}

// PrevNext returns the articles before and after a in All order (nil at the
// ends, or when a is not in the library).
func (l *Library) PrevNext(a *Article) (prev, next *Article) {
	i, ok := l.pos[a]
	if !ok {
		return nil, nil
	}
	if i > 0 {
		prev = l.all[i-1]
	}
	if i+1 < len(l.all) {
		next = l.all[i+1]
	}
	return prev, next
}

// Related returns up to n articles related to a: those its front matter names
// first (in that order), then others of the same cause, then those sharing the
// most distinctive words with it.
func (l *Library) Related(a *Article, n int) []*Article {
	r := l.related[a]
	if n >= 0 && len(r) > n {
		r = r[:n]
	}
	return append([]*Article(nil), r...)
}

// rankRelated computes the full related list of a.
func (l *Library) rankRelated(a *Article) []*Article {
	var out []*Article
	taken := map[*Article]bool{a: true}
	add := func(b *Article) {
		if b != nil && !taken[b] {
			taken[b] = true
			out = append(out, b)
		}
	}
	for _, slug := range a.Related {
		b := l.bySlug[slug]
		add(b)
	}
	for _, b := range l.all {
		if b.Cause == a.Cause {
			add(b)
		}
	}
	type scored struct {
		a     *Article
		score float64
	}
	var rest []scored
	for _, b := range l.all {
		if taken[b] {
			continue
		}
		if s := l.index.shared(l.pos[a], l.pos[b]); s > 0 {
			rest = append(rest, scored{b, s})
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].score > rest[j].score })
	for _, s := range rest {
		add(s.a)
	}
	return out
}

// RenderMarkdown renders our own Markdown (such as a rule's documentation)
// like the package-level RenderMarkdown, and also checks that its links to
// articles (/articles/<slug>, with an optional #heading) resolve in this
// library, so docs outside the articles cannot drift from them either.
func (l *Library) RenderMarkdown(src []byte) (template.HTML, error) {
	r, err := render(src)
	if err != nil {
		return "", err
	}
	var msgs []string
	for _, e := range r.errs {
		msgs = append(msgs, fmt.Sprintf("line %d: %s", e.Line, e.Reason))
	}
	self := &Article{headings: r.headings}
	for _, link := range r.links {
		if reason := l.checkLink(self, link.Dest); reason != "" {
			msgs = append(msgs, fmt.Sprintf("line %d: %s", link.Line, reason))
		}
	}
	if len(msgs) > 0 {
		return "", fmt.Errorf("render markdown: %s", strings.Join(msgs, "; "))
	}
	return r.html, nil
}

// ReadingMinutes estimates the reading time of the article (at least 1).
func (a *Article) ReadingMinutes() int {
	const wordsPerMinute = 200
	return max(1, (a.Words+wordsPerMinute/2)/wordsPerMinute)
}
