package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz answers GET /healthz for liveness probes: the process serves.
func (s *Server) healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, "ok")
}
