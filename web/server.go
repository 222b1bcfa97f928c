package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// Deps are the services the site shows. They know nothing of HTTP; the web
// layer only calls them. Later: the diagnosis engine and the report store.
type Deps struct {
	// Library holds the rendered articles (required).
	Library *content.Library
	// Logger receives server logs; nil means slog.Default().
	Logger *slog.Logger
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
}

// New builds the server: it hashes the static assets, renders every article
// page into memory and registers the routes. It does not listen.
func New(cfg Config, deps Deps) (*Server, error) {
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
	s := &Server{cfg: cfg, lib: deps.Library, log: log, assets: assets}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	s.echo = e
	s.routes(e)

	if err := s.prerenderArticles(); err != nil {
		return nil, fmt.Errorf("web: render article pages: %w", err)
	}
	return s, nil
}

// Handler is the whole site as an http.Handler (tests use it with httptest).
func (s *Server) Handler() http.Handler { return s.echo }

// httpServer is the http.Server with the configured timeouts.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.echo,
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
	s.log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	return s.Serve(ctx, ln)
}
