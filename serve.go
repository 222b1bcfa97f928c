package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
	"github.com/ratelimit-doctor/ratelimit-doctor/web"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// runServe loads the configuration (flags win over RLD_* environment
// variables), loads and renders the articles, and serves the site until
// SIGINT or SIGTERM, then shuts down gracefully.
func runServe(args []string, stdout, stderr io.Writer) int {
	cfg, err := web.LoadConfig(args, os.Getenv, stderr)
	if errors.Is(err, web.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 2
	}
	log := web.NewLogger(cfg, stderr)

	// Built-in articles plus the team's (--content-dir); a bad file stops
	// start-up with file:line: reason.
	lib, err := web.LoadTeamContent(cfg.ContentDir)
	if err != nil {
		fmt.Fprintf(stderr, "serve: load articles: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The report store: SQLite in --data-dir (created on first use) unless
	// --database-url names PostgreSQL. Keys are masked again before writing.
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir,
		Options: store.Options{Redact: redact.String, DefaultTTL: cfg.Retention, MaxTTL: cfg.Retention}})
	if err != nil {
		fmt.Fprintf(stderr, "serve: open report store: %v\n", err)
		return 1
	}
	defer st.Close()
	go store.RunPurger(ctx, st, time.Hour, log)

	srv, err := web.New(cfg, web.Deps{Library: lib, Logger: log, Store: st})
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}
	if cfg.ContentReload {
		if err := web.WatchContent(ctx, srv, cfg.ContentDir, log, nil); err != nil {
			fmt.Fprintf(stderr, "serve: %v\n", err)
			return 1
		}
	}
	if err := srv.ListenAndServe(ctx); err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}
	log.Info("stopped")
	return 0
}
