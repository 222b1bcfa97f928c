package web

import "github.com/labstack/echo/v4"

// routes registers every route of the site, in one place. Add a page by
// writing its handler in its own file and adding one line here.
func (s *Server) routes(e *echo.Echo) {
	// Middleware order: recover first so a panic anywhere still gets headers
	// and a clean 500 page.
	e.Use(s.recoverPanics)
	e.Use(securityHeaders)
	if s.cfg.LogRequests {
		e.Use(s.logRequests)
	}

	e.GET("/", s.showHome)
	e.GET("/articles", s.listArticles)
	e.GET("/articles/", s.redirectArticles)
	e.GET("/articles/:slug", s.showArticle)
	e.GET("/search", s.showSearch)
	e.GET("/api/v1/articles", s.listArticlesJSON)
	e.GET("/healthz", s.healthz)
	e.GET("/static/:file", s.serveAsset)
	e.GET("/favicon.ico", s.serveFavicon)
}
