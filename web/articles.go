package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// IndexView is the article index, grouped by cause.
type IndexView struct {
	Layout LayoutView
	Groups []GroupView
	Total  int
}

// GroupView is one cause and its articles.
type GroupView struct {
	Cause    string
	Anchor   string
	Title    string
	Blurb    string
	Articles []ArticleCard
}

// newIndexView builds the index from the library's cause groups, in the
// library's order.
func newIndexView(lib *content.Library, layout LayoutView) IndexView {
	v := IndexView{Layout: layout, Total: len(lib.All())}
	v.Layout.Description = "Every cause of AutoGen 429 errors, with fixes for AutoGen 0.2/AG2 and 0.4+."
	for _, g := range lib.ByCause() {
		if len(g.Articles) == 0 {
			continue
		}
		v.Groups = append(v.Groups, GroupView{
			Cause:    g.Cause,
			Anchor:   causeAnchor(g.Cause),
			Title:    g.Title,
			Blurb:    g.Blurb,
			Articles: newArticleCards(g.Articles),
		})
	}
	return v
}

// listArticles renders GET /articles.
func (s *Server) listArticles(c echo.Context) error {
	return s.render(c, http.StatusOK, IndexPage(newIndexView(s.lib, s.layout("Articles", SectionArticles))))
}

// redirectArticles sends /articles/ to the canonical /articles.
func (s *Server) redirectArticles(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, "/articles")
}
