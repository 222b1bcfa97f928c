package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// PageError is an error a handler returns to choose the status and the
// message the reader sees. Err (the cause) is logged, never shown.
type PageError struct {
	Status  int
	Message string // safe to show: no internals, no input echoed unescaped
	Err     error
}

func (e *PageError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *PageError) Unwrap() error { return e.Err }

// errNotFound is the error for a missing page.
func errNotFound(msg string) error {
	return &PageError{Status: http.StatusNotFound, Message: msg}
}

// handleError is the one place that turns errors into responses. Under /api/
// it answers JSON; elsewhere an HTML page (the 404 page helps find the way).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		// Only possible if a handler streamed; pages render to a buffer first.
		s.log.Error("error after response started", "route", c.Path(), "err", redactText([]byte(err.Error())))
		return
	}
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. Please try again."
	var pe *PageError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &pe):
		status, msg = pe.Status, pe.Message
	case errors.As(err, &he):
		status = he.Code
		msg = http.StatusText(status)
		if status == http.StatusNotFound {
			msg = "There is no page at this address."
		}
	}
	if status >= 500 {
		// The cause is masked: an error may quote a line of pasted input.
		s.log.Error("request failed", "method", c.Request().Method, "route", c.Path(), "status", status, "err", redactText([]byte(err.Error())))
	}

	req := c.Request()
	if strings.HasPrefix(req.URL.Path, "/api/") {
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	if req.Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	var rerr error
	if status == http.StatusNotFound {
		rerr = s.render(c, status, NotFoundPage(newNotFoundView(s.lib, s.layout("Page not found", ""), req.URL.Path, msg)))
	} else {
		rerr = s.render(c, status, ErrorPage(newErrorView(s.layout(http.StatusText(status), ""), status, msg)))
	}
	if rerr != nil {
		// The error page itself failed: answer plain text rather than nothing.
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, msg)
	}
}
