package web

import "github.com/labstack/echo/v4"

// diagnoseRoutes registers the diagnosis side of the site: the wizard, the
// rule pages, votes, saved reports and the JSON API. Kept beside routes.go
// (and called right after it) so each half of the site lists its routes in
// one place.
func (s *Server) diagnoseRoutes(e *echo.Echo) {
	e.GET("/diagnose", s.showDiagnose)
	e.HEAD("/diagnose", s.showDiagnose)
	e.POST("/diagnose", s.submitDiagnose)
	e.POST("/diagnose/recognize", s.recognize)

	e.GET("/rules", s.listRules)
	e.HEAD("/rules", s.listRules)
	e.GET("/rules/:id", s.showRule)
	e.HEAD("/rules/:id", s.showRule)
	e.POST("/votes", s.submitVote)

	e.POST("/reports", s.saveReport)
	e.GET("/reports/:id", s.showReport) // also :id.json and :id.md
	e.HEAD("/reports/:id", s.showReport)
	e.POST("/reports/:id/delete", s.deleteReport)

	e.POST("/api/v1/diagnose", s.apiDiagnose)
	e.POST("/api/v1/reports", s.apiSaveReport)
	e.GET("/api/v1/reports/:id", s.apiGetReport)
	e.DELETE("/api/v1/reports/:id", s.apiDeleteReport)

	go exampleCache() // warm the rule pages' examples off the request path
}
