package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// ArticleJSON is one entry of GET /api/v1/articles (the DESIGN.md contract).
type ArticleJSON struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Cause   string `json:"cause"`
	URL     string `json:"url"`
}

// newArticlesJSON lists every article in library order. Never nil, so an
// empty library encodes as [] rather than null.
func newArticlesJSON(lib *content.Library) []ArticleJSON {
	out := make([]ArticleJSON, 0, len(lib.All()))
	for _, a := range lib.All() {
		out = append(out, ArticleJSON{Slug: a.Slug, Title: a.Title, Summary: a.Summary, Cause: a.Cause, URL: a.URL()})
	}
	return out
}

// listArticlesJSON answers GET /api/v1/articles.
func (s *Server) listArticlesJSON(c echo.Context) error {
	return c.JSON(http.StatusOK, newArticlesJSON(s.lib))
}
