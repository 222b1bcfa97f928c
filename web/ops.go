package web

import (
	"fmt"
	"net"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// ops is the operational state of a running site: access control, CSRF
// check, rate limiter and metrics. It is built once per process and shared
// by every Server that Reload builds, so a content reload keeps the limiter's
// buckets and the metrics' counters.
type ops struct {
	deps    Deps
	auth    *authenticator
	csrf    *http.CrossOriginProtection
	limiter *limiter // nil when --rate-limit 0
	metrics *metrics
}

func newOps(cfg Config, deps Deps) (*ops, error) {
	a, err := newAuthenticator(cfg)
	if err != nil {
		return nil, err
	}
	cop, err := newCSRF(cfg)
	if err != nil {
		return nil, err
	}
	o := &ops{deps: deps, auth: a, csrf: cop, metrics: newMetrics(deps.Store)}
	if cfg.RateLimit > 0 {
		o.limiter = newLimiter(cfg.RateLimit)
	}
	return o, nil
}

// ipExtractor picks the client address echo's RealIP reports (rate limit,
// logs). With no trusted proxies it is the direct peer: X-Forwarded-For from
// just anyone would let a client choose its own rate-limit bucket. With
// trusted proxies, X-Forwarded-For is walked from the right, past trusted
// hops only. echo's defaults trust loopback and private networks; those are
// switched off so only --trusted-proxies count.
func ipExtractor(cfg Config) echo.IPExtractor {
	if len(cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range cfg.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// opsRoutes registers the operational middleware and routes. routes() calls
// it first, so the middleware wraps every route. Order, outermost first:
// metrics (counts the final status), panic recovery, headers, access
// control, CSRF, rate limit.
func (s *Server) opsMiddleware(e *echo.Echo) {
	e.IPExtractor = ipExtractor(s.cfg)
	e.Use(s.observe)
}

// opsRoutes registers the probes, metrics and login routes and the
// middleware that must run after recovery and security headers.
func (s *Server) opsRoutes(e *echo.Echo) {
	e.Use(s.requireAuth)
	e.Use(s.csrfProtect)
	e.Use(s.rateLimit)
	e.Use(s.bodyLimit)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.serveMetrics)
	if s.ops.auth.mode == AuthToken {
		e.GET("/login", s.showLogin)
		e.POST("/login", s.submitLogin)
		e.POST("/logout", s.logout)
	}
}

// Reload builds the site again around a new article library — every
// article page is pre-rendered anew — and swaps it in atomically. Requests
// in flight finish on the old site; on error the old one keeps serving.
func (s *Server) Reload(lib *content.Library) error {
	deps := s.ops.deps
	deps.Library = lib
	ns, err := build(s.cfg, deps, s.ops)
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	ns.live = s.live
	s.live.Store(ns)
	return nil
}

// smallFormRoutes take a few short fields only; their bodies are capped at
// smallFormBytes rather than the upload limit.
var smallFormRoutes = map[string]bool{"/votes": true, "/login": true, "/logout": true, "/reports/:id/delete": true}

const smallFormBytes = 64 << 10

// bodyLimit caps every request body at the largest the configured limits
// allow (an upload, or pasted text JSON-escaped), before any handler reads
// it: a declared Content-Length over the cap is refused at once with 413, and
// a body that grows past it fails the read. Handlers apply their own, finer
// limits on top. Request bodies are never decompressed (no Content-Encoding
// support), so a gzip bomb stays the size it was sent at.
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	big := max(s.cfg.MaxUploadBytes, 2*s.cfg.MaxTextBytes+64<<10)
	return func(c echo.Context) error {
		req := c.Request()
		limit := big
		if smallFormRoutes[c.Path()] {
			limit = smallFormBytes
		}
		if req.ContentLength > limit {
			return errTooLarge(limit)
		}
		if req.Body != nil && req.Body != http.NoBody {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		}
		return next(c)
	}
}
