package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// newCSRF builds the cross-origin check every unsafe request passes. Go's
// http.CrossOriginProtection reads Sec-Fetch-Site (and falls back to Origin
// against Host): a browser form posted from another site is refused, while
// curl and API clients (which send neither header) pass — they cannot ride on
// a victim's cookies anyway. Behind a proxy that rewrites Host, the public
// origin from --base-url is trusted explicitly.
func newCSRF(cfg Config) (*http.CrossOriginProtection, error) {
	cop := http.NewCrossOriginProtection()
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("base url: %w", err)
		}
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("base url as trusted origin: %w", err)
		}
	}
	return cop, nil
}

// csrfProtect is the echo middleware around the check; safe methods pass
// untouched.
func (s *Server) csrfProtect(next echo.HandlerFunc) echo.HandlerFunc {
	cop := s.ops.csrf
	return func(c echo.Context) error {
		if err := cop.Check(c.Request()); err != nil {
			return &PageError{Status: http.StatusForbidden,
				Message: "This form was sent from another site, so it was refused. Open the page on this site and send it again.",
				Err:     err}
		}
		return next(c)
	}
}
