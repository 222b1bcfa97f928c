package web

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// LoadTeamContent loads the built-in articles plus the team's (--content-dir)
// and checks the team's tiers.yaml, so a bad file stops start-up (or a
// reload) with "file:line: reason".
func LoadTeamContent(dir string) (*content.Library, error) {
	lib, err := content.Load(content.Options{TeamDir: dir})
	if err != nil {
		return nil, err
	}
	if _, err := content.LoadTiers(dir); err != nil {
		return nil, err
	}
	return lib, nil
}

// reloadDebounce gathers the burst of events one editor save makes (write,
// chmod, rename of a temp file) into one reload.
const reloadDebounce = 300 * time.Millisecond

// WatchContent reloads the team content when a file under dir changes,
// until ctx ends. A reload builds a whole new library and site and swaps it
// in; when the new content has an error it is logged (file:line: reason) and
// the old site keeps serving. Each reload (or failure) is reported on done
// when it is not nil (tests wait on it).
func WatchContent(ctx context.Context, srv *Server, dir string, log *slog.Logger, done chan<- error) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	if err := addTree(w, dir); err != nil {
		w.Close()
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	go func() {
		defer w.Close()
		var timer *time.Timer
		var fire <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Has(fsnotify.Create) {
					if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
						_ = addTree(w, ev.Name) // new folders of articles are watched too
					}
				}
				if timer == nil {
					timer = time.NewTimer(reloadDebounce)
				} else {
					timer.Reset(reloadDebounce)
				}
				fire = timer.C
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				log.Warn("content watch", "err", err)
			case <-fire:
				fire = nil
				err := reloadContent(srv, dir)
				if err != nil {
					log.Error("content reload failed; still serving the previous articles", "err", err)
				} else {
					log.Info("content reloaded", "dir", dir)
				}
				if done != nil {
					select {
					case done <- err:
					default:
					}
				}
			}
		}
	}()
	return nil
}

func reloadContent(srv *Server, dir string) error {
	lib, err := LoadTeamContent(dir)
	if err != nil {
		return err
	}
	return srv.Reload(lib)
}

// addTree watches dir and its folders (fsnotify watches one level).
func addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		return w.Add(p)
	})
}
