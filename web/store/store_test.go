package store_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store/storetest"
)

var ctx = context.Background()

func openSQLite(t *testing.T, opts store.Options) store.Store {
	t.Helper()
	s, err := store.OpenSQLite(ctx, t.TempDir(), opts)
	if err != nil {
		t.Fatalf("OpenSQLite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPostgres(t *testing.T, opts store.Options) store.Store {
	t.Helper()
	s, err := store.OpenPostgres(ctx, storetest.PostgresURL(t), opts)
	if err != nil {
		t.Fatalf("OpenPostgres: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLite(t *testing.T) { storetest.Run(t, openSQLite) }

func TestPostgres(t *testing.T) {
	storetest.PostgresURL(t) // fail under CI / skip locally before any subtest when there is no server
	storetest.Run(t, openPostgres)
}

func TestOpenChooses(t *testing.T) {
	s, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*store.SQLite); !ok {
		t.Errorf("Open with a data dir gave %T, want *store.SQLite", s)
	}
	s.Close()
	if _, err := store.Open(ctx, store.Config{}); err == nil {
		t.Error("Open with nothing configured succeeded")
	}
	// A URL wins over the data dir; with nothing listening it fails as
	// unavailable, and the password never shows in the message.
	_, err = store.Open(ctx, store.Config{DataDir: t.TempDir(), DatabaseURL: "postgres://u:hunter2secret@127.0.0.1:1/db?connect_timeout=2"})
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Open with an unreachable URL: err = %v, want ErrUnavailable", err)
	}
	if err != nil && strings.Contains(err.Error(), "hunter2secret") {
		t.Errorf("error leaks the password: %v", err)
	}
	_, err = store.Open(ctx, store.Config{DatabaseURL: "postgres://u:hunter2secret@[::1"})
	if err == nil || strings.Contains(err.Error(), "hunter2secret") {
		t.Errorf("malformed URL: err = %v, want an error without the password", err)
	}
}

func TestSQLiteFilesAndReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	s, err := store.OpenSQLite(ctx, dir, store.Options{Redact: storetest.Redact})
	if err != nil {
		t.Fatal(err)
	}
	r := store.NewReport{Title: "t", Inputs: []store.SavedInput{{Name: "c.json", Kind: "config", Text: "key=" + storetest.FakeKey}}}
	saved, err := s.SaveReport(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != 1 {
		t.Errorf("SchemaVersion = %d, %v; want 1", v, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	if fi, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	// Nothing on disk holds the key (the store redacted it again).
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(storetest.FakeKey)) {
			t.Errorf("%s holds the unredacted key", f.Name())
		}
		if bytes.Contains(b, []byte(saved.DeleteToken)) {
			t.Errorf("%s holds the delete token in clear", f.Name())
		}
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	// Only the token's SHA-256 is kept.
	var hash []byte
	if err := raw.QueryRow("SELECT delete_hash FROM reports WHERE id = ?", saved.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256([]byte(saved.DeleteToken)); !bytes.Equal(hash, want[:]) {
		t.Errorf("delete_hash is not SHA-256 of the token")
	}
	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	raw.Close()

	s, err = store.OpenSQLite(ctx, dir, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	got, err := s.GetReport(ctx, saved.ID)
	if err != nil || got.Title != "t" {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	var rows int
	if err := sqlCount(dir, "SELECT COUNT(*) FROM schema_version", &rows); err != nil || rows != 1 {
		t.Errorf("schema_version rows = %d, %v; migrations ran twice?", rows, err)
	}
}

func sqlCount(dir, q string, n *int) error {
	db, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		return err
	}
	defer db.Close()
	return db.QueryRow(q).Scan(n)
}

func TestSQLiteRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	s, err := store.OpenSQLite(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_version VALUES (99, 0)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := store.OpenSQLite(ctx, dir, store.Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("opening a newer schema: err = %v, want a refusal", err)
	}
}

func TestSQLiteUnwritableDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plainfile")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.OpenSQLite(ctx, filepath.Join(file, "sub"), store.Options{}); err == nil {
		t.Error("opening under a regular file succeeded")
	}
}

func TestRunPurger(t *testing.T) {
	s := openSQLite(t, store.Options{})
	keep, err := s.SaveReport(ctx, store.NewReport{Title: "keep", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := s.SaveReport(ctx, store.NewReport{Title: "secret-title-" + storetest.FakeKey, TTL: time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(5 * time.Millisecond)
	var buf syncBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { store.RunPurger(pctx, s, 10*time.Millisecond, log); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), `"count":2`) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	out := buf.String()
	if !strings.Contains(out, `"msg":"purged expired reports","count":2`) {
		t.Errorf("purger log lacks the count: %s", out)
	}
	if strings.Contains(out, "secret-title") || strings.Contains(out, storetest.FakeKey) {
		t.Errorf("purger log holds report content: %s", out)
	}
	if st, _ := s.Stats(ctx); st.Reports != 1 {
		t.Errorf("%d reports left, want 1", st.Reports)
	}
	if _, err := s.GetReport(ctx, keep.ID); err != nil {
		t.Errorf("unexpired report purged: %v", err)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// --- kill -9 while saving -------------------------------------------------

const envKill9Dir = "RLD_STORE_KILL9_DIR"

// crashReport is report n of the kill -9 test: deterministic, so the parent
// can rebuild what the child saved, and a few KB so saves do real I/O.
func crashReport(n int) store.NewReport {
	return store.NewReport{
		Title:      fmt.Sprintf("crash report %d", n),
		Inputs:     []store.SavedInput{{Name: "agents.py", Kind: "python", Text: strings.Repeat(fmt.Sprintf("line %d of report %d\n", n%97, n), 150)}},
		ReportJSON: []byte(fmt.Sprintf(`{"version":1,"n":%d}`, n)),
		TTL:        time.Hour,
	}
}

func contentHash(title string, inputs []store.SavedInput, js []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s", len(title), title)
	for _, in := range inputs {
		fmt.Fprintf(h, "|%d:%s|%d:%s|%d:%s", len(in.Name), in.Name, len(in.Kind), in.Kind, len(in.Text), in.Text)
	}
	fmt.Fprintf(h, "|%d:%s", len(js), js)
	return hex.EncodeToString(h.Sum(nil))
}

// TestSQLiteKill9Child is the child side of TestSQLiteKill9: it does nothing
// unless the parent started it. It saves reports from 4 goroutines and
// prints "ACK n id hash" only after SaveReport returned.
func TestSQLiteKill9Child(t *testing.T) {
	dir := os.Getenv(envKill9Dir)
	if dir == "" {
		return // not a child run
	}
	s, err := store.OpenSQLite(ctx, dir, store.Options{})
	if err != nil {
		fmt.Fprintf(os.Stdout, "ERR open: %v\n", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	next := 0
	stopAt := time.Now().Add(60 * time.Second) // never outlive a parent that failed to kill
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stopAt) {
				mu.Lock()
				n := next
				next++
				mu.Unlock()
				r := crashReport(n)
				saved, err := s.SaveReport(ctx, r)
				if err != nil {
					fmt.Fprintf(os.Stdout, "ERR save %d: %v\n", n, err)
					continue
				}
				// One write per line: an acknowledged line reaches the
				// pipe whole or not at all.
				line := fmt.Sprintf("ACK %d %s %s\n", n, saved.ID, contentHash(r.Title, r.Inputs, r.ReportJSON))
				mu.Lock()
				os.Stdout.WriteString(line)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func TestSQLiteKill9(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteKill9Child$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKill9Dir+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type ack struct {
		n        int
		id, hash string
	}
	lines := make(chan string, 1<<16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var acks []ack
	var errLines []string
	handle := func(l string) {
		f := strings.Fields(l)
		switch {
		case len(f) == 4 && f[0] == "ACK":
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("bad ack line %q", l)
			}
			acks = append(acks, ack{n, f[2], f[3]})
		case strings.HasPrefix(l, "ERR"):
			errLines = append(errLines, l)
		}
	}
	// Wait for the first acknowledgement (the child must open the store
	// first), then let it save for half a second and kill it mid-stream.
	timeout := time.After(30 * time.Second)
	for len(acks) == 0 {
		select {
		case l, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("child exited before saving anything: %v", errLines)
			}
			handle(l)
		case <-timeout:
			cmd.Process.Kill()
			t.Fatal("child saved nothing in 30s")
		}
	}
	time.Sleep(500 * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	for l := range lines {
		handle(l)
	}
	werr := cmd.Wait()
	if ee, ok := werr.(*exec.ExitError); !ok || ee.ProcessState.Success() {
		t.Fatalf("child was not killed: %v", werr)
	}
	if len(errLines) > 0 {
		t.Errorf("child save errors: %v", errLines)
	}

	s, err := store.OpenSQLite(ctx, dir, store.Options{})
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close()
	found := 0
	for _, a := range acks {
		got, err := s.GetReport(ctx, a.id)
		if err != nil {
			t.Errorf("acknowledged report %d (%s) lost: %v", a.n, a.id, err)
			continue
		}
		want := crashReport(a.n)
		if h := contentHash(got.Title, got.Inputs, got.ReportJSON); h != a.hash || h != contentHash(want.Title, want.Inputs, want.ReportJSON) {
			t.Errorf("report %d (%s) damaged: hash %s, acknowledged %s", a.n, a.id, h, a.hash)
			continue
		}
		found++
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kill -9 after ~0.5 s of saving: %d acknowledged, %d found intact, %d rows in store (unacknowledged commits may add a few)", len(acks), found, st.Reports)
	if st.Reports < int64(len(acks)) {
		t.Errorf("store holds %d reports, fewer than the %d acknowledged", st.Reports, len(acks))
	}
}

// --- PostgreSQL ---------------------------------------------------------------

func TestPostgresConcurrentMigrations(t *testing.T) {
	u := storetest.PostgresURL(t)
	const replicas = 6
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	stores := make([]*store.Postgres, replicas)
	for i := 0; i < replicas; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = store.OpenPostgres(ctx, u, store.Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	if v, err := stores[0].SchemaVersion(ctx); err != nil || v != 1 {
		t.Errorf("SchemaVersion = %d, %v; want 1", v, err)
	}
	// Replicas share reports: saved through one, read and deleted through another.
	saved, err := stores[1].SaveReport(ctx, store.NewReport{Title: "shared"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := stores[4].GetReport(ctx, saved.ID); err != nil || got.Title != "shared" {
		t.Fatalf("read through another replica: %+v, %v", got, err)
	}
	if err := stores[5].DeleteReport(ctx, saved.ID, saved.DeleteToken); err != nil {
		t.Fatalf("delete through another replica: %v", err)
	}
}

func TestPostgresOutage(t *testing.T) {
	u, stop, start := storetest.PostgresOutage(t)
	s, err := store.OpenPostgres(ctx, u, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, err := s.SaveReport(ctx, crashReport(1))
	if err != nil {
		t.Fatal(err)
	}

	stop()
	t0 := time.Now()
	opCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Ping(opCtx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Ping with the server stopped: err = %v, want ErrUnavailable", err)
	}
	if _, err := s.SaveReport(opCtx, crashReport(2)); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("SaveReport with the server stopped: err = %v, want ErrUnavailable", err)
	}
	if _, err := s.GetReport(opCtx, before.ID); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("GetReport with the server stopped: err = %v, want ErrUnavailable", err)
	}
	if err := s.Vote(opCtx, "RLD001", true); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Vote with the server stopped: err = %v, want ErrUnavailable", err)
	}
	down := time.Since(t0)

	start()
	t1 := time.Now()
	pings := 0
	for {
		pings++
		if err := s.Ping(ctx); err == nil {
			break
		} else if !errors.Is(err, store.ErrUnavailable) {
			t.Fatalf("Ping while restarting: %v, want ErrUnavailable", err)
		}
		if time.Since(t1) > 30*time.Second {
			t.Fatal("store did not recover within 30s of the server starting")
		}
		time.Sleep(100 * time.Millisecond)
	}
	recovered := time.Since(t1)
	after, err := s.SaveReport(ctx, crashReport(3))
	if err != nil {
		t.Fatalf("save after restart (same store, not reopened): %v", err)
	}
	for _, id := range []string{before.ID, after.ID} {
		if _, err := s.GetReport(ctx, id); err != nil {
			t.Errorf("GetReport(%s) after restart: %v", id, err)
		}
	}

	// A restart while the store is idle: the pool's connections are now
	// dead, and the very next request must still succeed (the pool checks
	// idle connections before handing them out and dials anew).
	stop()
	start()
	again, err := s.SaveReport(ctx, crashReport(4))
	if err != nil {
		t.Fatalf("first save after an idle restart: %v", err)
	}
	if got, err := s.GetReport(ctx, again.ID); err != nil || got.Title != crashReport(4).Title {
		t.Errorf("read after an idle restart: %+v, %v", got, err)
	}
	t.Logf("server stopped: 4 operations failed with ErrUnavailable in %v; restarted: ping ok after %v (%d pings), save ok without reopening", down.Round(time.Millisecond), recovered.Round(time.Millisecond), pings)
}

// --- benchmarks (go test -run ^$ -bench . ./web/store/) --------------------

func benchStore(b *testing.B, s store.Store) {
	r := crashReport(7) // about 4 KB of input
	b.Run("Save", func(b *testing.B) {
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.SaveReport(ctx, r); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	saved, err := s.SaveReport(ctx, r)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Get", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.GetReport(ctx, saved.ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkSQLite(b *testing.B) {
	s, err := store.OpenSQLite(ctx, b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchStore(b, s)
}

func BenchmarkPostgres(b *testing.B) {
	s, err := store.OpenPostgres(ctx, storetest.PostgresURL(b), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchStore(b, s)
}
