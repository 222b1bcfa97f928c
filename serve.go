package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/web"
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
	log := slog.New(slog.NewTextHandler(stderr, nil))

	lib, err := content.Load(content.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "serve: load articles: %v\n", err)
		return 1
	}
	srv, err := web.New(cfg, web.Deps{Library: lib, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(ctx); err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}
	log.Info("stopped")
	return 0
}
