package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync/atomic"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// Deps are the services the site shows. They know nothing of HTTP; the web
// layer only calls them. Later: the diagnosis engine and the report store.
type Deps struct {
	// Library holds the rendered articles (required).
	Library *content.Library
	// Logger receives server logs; nil means slog.Default().
	Logger *slog.Logger
	// Store keeps saved reports and votes; nil turns Save & share and
	// votes off (they answer 503).
	Store store.Store
}

// Server is the site: an echo app plus what it precomputes at start-up
// (hashed assets, rendered article pages).
type Server struct {
	cfg    Config
	lib    *content.Library
	log    *slog.Logger
	echo   *echo.Echo
	assets *assetSet
	// articlePages holds every article page rendered once at start-up.
	articlePages map[string]*cachedPage
	// store keeps saved reports and votes (nil: saving is off).
	store store.Store
	// examples are the rule pages' examples, computed once on first use.
	examples *ruleExamples
	// cache remembers recent API diagnoses (diagcache.go); nil, the
	// default, unless --diagnosis-cache is on.
	cache *diagCache
	// ops is the process-wide auth, CSRF, rate limit and metrics (ops.go);
	// live points at the Server now serving (Reload swaps it).
	ops  *ops
	live *atomic.Pointer[Server]
}

// New builds the server: it hashes the static assets, renders every article
// page into memory and registers the routes. It does not listen.
func New(cfg Config, deps Deps) (*Server, error) {
	return build(cfg, deps, nil)
}

// build is New, reusing o when Reload builds the site again (nil: new ops).
func build(cfg Config, deps Deps, o *ops) (*Server, error) {
	if deps.Library == nil {
		return nil, errors.New("web: Deps.Library is required")
	}
	log := deps.Logger
	if log == nil {
		log = slog.Default()
	}
	assets, err := newAssetSet()
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	s := &Server{cfg: cfg, lib: deps.Library, log: log, assets: assets, store: deps.Store, examples: &ruleExamples{}}
	if cfg.DiagnosisCache {
		s.cache = newDiagCache()
	}
	if o == nil {
		if o, err = newOps(cfg, deps); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	s.ops, s.live = o, new(atomic.Pointer[Server])
	s.live.Store(s)

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	s.echo = e
	s.opsMiddleware(e) // metrics outermost (ops.go)
	s.routes(e)
	s.opsRoutes(e)      // probes, metrics, login; auth, CSRF and rate limit (ops.go)
	s.diagnoseRoutes(e) // the wizard, rules, reports and the diagnosis API (routes_diagnose.go)

	if err := s.prerenderArticles(); err != nil {
		return nil, fmt.Errorf("web: render article pages: %w", err)
	}
	return s, nil
}

// Handler is the whole site as an http.Handler (tests use it with httptest).
// It serves whichever site Reload swapped in last.
func (s *Server) Handler() http.Handler {
	live := s.live
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { live.Load().echo.ServeHTTP(w, r) })
}

// httpServer is the http.Server with the configured timeouts.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully,
// giving in-flight requests Config.ShutdownTimeout to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.httpServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ListenAndServe listens on Config.Addr and serves until ctx is cancelled.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	if s.cfg.GCPercent > 0 && os.Getenv("GOGC") == "" {
		// Process-wide, so set here where the process becomes this server,
		// not in New (tests and Reload build servers too).
		debug.SetGCPercent(s.cfg.GCPercent)
	}
	s.log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	return s.Serve(ctx, ln)
}
