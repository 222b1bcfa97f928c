package web

import (
	"github.com/labstack/echo/v4"
	"net/http"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// HomeView is the home page: the error in one screen and the two doors.
type HomeView struct {
	Layout LayoutView
	// Explainer links the general "what the 429 means" article, if present.
	Explainer *ArticleCard
	Causes    []CauseCard
	Articles  int // number of articles, for the "Read the fixes" door
}

// CauseCard is one cause of the vocabulary on the home page, linking the
// article that explains it first.
type CauseCard struct {
	Cause    string
	Title    string
	Blurb    string
	URL      string
	Articles int
}

// explainerSlug is the article that explains the error itself.
const explainerSlug = "what-rate-limit-exceeded-means"

// newHomeView builds the home page from the library: one card per cause
// of the core vocabulary, each linking its first article.
func newHomeView(lib *content.Library, layout LayoutView) HomeView {
	v := HomeView{Layout: layout, Articles: len(lib.All())}
	v.Layout.Description = "Why AutoGen agents hit HTTP 429 rate limit exceeded errors, and how to fix each cause."
	if a, ok := lib.Get(explainerSlug); ok {
		c := newArticleCard(a)
		v.Explainer = &c
	}
	core := map[string]bool{}
	for _, c := range content.CoreCauses() {
		core[c] = true
	}
	for _, g := range lib.ByCause() {
		if !core[g.Cause] || len(g.Articles) == 0 {
			continue
		}
		v.Causes = append(v.Causes, CauseCard{
			Cause:    g.Cause,
			Title:    g.Title,
			Blurb:    g.Blurb,
			URL:      g.Articles[0].URL(),
			Articles: len(g.Articles),
		})
	}
	return v
}

// showHome renders GET /.
func (s *Server) showHome(c echo.Context) error {
	return s.render(c, http.StatusOK, HomePage(newHomeView(s.lib, s.layout("", SectionHome))))
}

// typicalError is the error text most readers arrive with (OpenAI's wording,
// as the openai Python client prints it).
const typicalError = `openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-... on requests per min (RPM): Limit 3, Used 3, Requested 1.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}`
