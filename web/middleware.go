package web

import (
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo/v4"
)

// Security header values, computed once.
const (
	// The CSP allows only our own origin: no inline scripts or style
	// attributes (so injected markup cannot run), images also as data: URIs
	// (inline SVG icons), no plugins, no <base> rewriting, no framing, and
	// forms post only to us.
	contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	// Browsers must not guess a content type (a text upload never runs as script).
	xContentTypeOptions = "nosniff"
	// Diagnoses and reports may have private URLs; never leak them to other sites.
	referrerPolicy = "no-referrer"
	// Old browsers ignore frame-ancestors; DENY stops clickjacking there too.
	xFrameOptions = "DENY"
	// The site needs no powerful browser features; switch off the common ones.
	permissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
	// Isolate our window from pages that open us or that we open.
	crossOriginOpenerPolicy = "same-origin"
)

// securityHeaders sets the security headers on every response, including
// errors and static files. Header maps are assigned directly (the keys are
// already canonical) because this runs on every request.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	csp := []string{contentSecurityPolicy}
	nosniff := []string{xContentTypeOptions}
	ref := []string{referrerPolicy}
	xfo := []string{xFrameOptions}
	pp := []string{permissionsPolicy}
	coop := []string{crossOriginOpenerPolicy}
	return func(c echo.Context) error {
		h := c.Response().Header()
		h["Content-Security-Policy"] = csp
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = ref
		h["X-Frame-Options"] = xfo
		h["Permissions-Policy"] = pp
		h["Cross-Origin-Opener-Policy"] = coop
		return next(c)
	}
}

// recoverPanics turns a panic in a handler into a logged error and a clean
// 500 page. It logs the method, route template, the panic value's type and
// the stack — never the value itself, the URL or the body, any of which may
// hold pasted text.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r) // the client went away; net/http handles this one
				}
				buf := make([]byte, 8<<10)
				buf = buf[:runtime.Stack(buf, false)]
				s.log.Error("panic in handler", "method", c.Request().Method, "route", c.Path(),
					"panic_type", fmt.Sprintf("%T", r), "stack", string(buf))
				err = &PageError{Status: http.StatusInternalServerError,
					Message: "Something went wrong on our side. Please try again.",
					Err:     fmt.Errorf("panic of type %T", r)}
			}
		}()
		return next(c)
	}
}

// logRequests logs one line per request (method, route template, status,
// duration, client IP): never the URL (report ids are capabilities, GET
// forms carry pasted text), never bodies.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.log.Info("request", "method", c.Request().Method, "route", s.ops.metrics.routeLabel(c),
			"status", c.Response().Status, "dur", time.Since(start), "client", c.RealIP())
		return nil
	}
}
