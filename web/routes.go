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

	// read registers a read-only route for GET and HEAD (uptime checks and
	// `curl -I` use HEAD; net/http drops the body for it).
	read := func(path string, h echo.HandlerFunc) {
		e.GET(path, h)
		e.HEAD(path, h)
	}

	read("/", s.showHome)
	read("/articles", s.listArticles)
	read("/articles/", s.redirectArticles)
	read("/articles/:slug", s.showArticle)
	read("/search", s.showSearch)
	read("/api/v1/articles", s.listArticlesJSON)
	read("/healthz", s.healthz)
	read("/static/:file", s.serveAsset)
	read("/favicon.ico", s.serveFavicon)
	read("/budget", s.showBudget)
	e.POST("/budget", s.submitBudget)
}
