package store

import (
	"context"
	"log/slog"
	"time"
)

// RunPurger deletes expired reports once at start and then every `every`
// until ctx ends. GetReport already hides expired reports, so the purger is
// about not keeping people's pasted (redacted) configs on disk longer than
// promised, not about correctness. It logs counts and errors only, never
// report content. With several replicas each runs its own purger; the
// DELETE is idempotent, so they do not conflict.
func RunPurger(ctx context.Context, s Store, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		every = time.Hour
	}
	if log == nil {
		log = slog.Default()
	}
	purge := func() {
		n, err := s.PurgeExpired(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() != nil:
			// Shutting down; not worth a warning.
		case err != nil:
			log.Warn("purge expired reports failed", "err", err)
		case n > 0:
			log.Info("purged expired reports", "count", n)
		default:
			log.Debug("purged expired reports", "count", 0)
		}
	}
	purge()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			purge()
		}
	}
}
