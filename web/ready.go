package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// readyTimeout bounds the store ping of a readiness probe: a probe that
// hangs is worse than one that says no.
const readyTimeout = 2 * time.Second

// readyz answers GET /readyz for readiness probes: 200 when the report store
// answers a ping, 503 JSON when it does not (the load balancer then sends
// traffic elsewhere while articles and diagnosis keep working here).
func (s *Server) readyz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if s.store == nil {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok", "store": "off"})
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("readiness: report store unreachable", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "store": "unreachable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "store": "ok"})
}
