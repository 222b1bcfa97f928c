package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLiteFile is the database file's name inside the data directory (backups
// copy it together with its -wal file, or use `sqlite3 … .backup`).
const SQLiteFile = "reports.db"

// sqliteMigrations are applied in order, each in its own transaction, and
// recorded in schema_version. Never edit a released entry; append one.
//
// Times are INTEGER Unix milliseconds in both stores: the injected clock
// decides expiry, not the database server's clock, so both stores compare
// the same numbers and tests can move time.
var sqliteMigrations = []string{
	1: `
CREATE TABLE reports (
	id          TEXT    PRIMARY KEY,
	delete_hash BLOB    NOT NULL,
	title       TEXT    NOT NULL,
	report_json BLOB    NOT NULL,
	size_bytes  INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL
);
CREATE INDEX reports_expires_at ON reports (expires_at);
CREATE TABLE report_inputs (
	report_id TEXT    NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	name      TEXT    NOT NULL,
	kind      TEXT    NOT NULL,
	body      TEXT    NOT NULL,
	PRIMARY KEY (report_id, position)
);
CREATE TABLE votes (
	id       INTEGER PRIMARY KEY,
	rule_id  TEXT    NOT NULL,
	fixed    INTEGER NOT NULL CHECK (fixed IN (0, 1)),
	voted_at INTEGER NOT NULL
);
CREATE INDEX votes_rule_id ON votes (rule_id);
`,
}

// SQLite is the zero-setup store: one file in the data directory.
//
// Durability: WAL journal with synchronous=FULL, so every acknowledged commit
// has been fsynced to the WAL before SaveReport returns. kill -9 alone would
// be survived even with NORMAL (the OS still holds the written pages), but
// FULL also survives a power cut or kernel crash, and saves are rare enough
// that one fsync each costs nothing that matters.
//
// Concurrency: SQLite allows one writer at a time, so writes go through a
// pool of exactly one connection (no SQLITE_BUSY between our own writers;
// they queue in database/sql instead) and begin IMMEDIATE so a transaction
// takes the write lock up front rather than failing on upgrade. Reads use a
// separate read-only pool; WAL lets them run while a write is in progress.
type SQLite struct {
	w, r *sql.DB
	opts Options
}

var _ Store = (*SQLite)(nil)

// OpenSQLite opens (creating on first use) the database in dataDir, which is
// created with mode 0700 because saved reports are people's pasted configs.
func OpenSQLite(ctx context.Context, dataDir string, opts Options) (*SQLite, error) {
	if dataDir == "" {
		return nil, errors.New("open sqlite store: empty data directory")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, SQLiteFile)
	// Create the file ourselves so it is 0600 from the start; SQLite gives
	// the -wal and -shm files the main file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create database file: %w", err)
	}
	f.Close()

	const common = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	w, err := sql.Open("sqlite", path+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &SQLite{w: w, opts: opts.withDefaults()}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.r = r
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *SQLite) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL)`); err != nil {
		return sqliteErr("create schema_version", err)
	}
	tx, err := s.w.BeginTx(ctx, nil) // IMMEDIATE: holds the write lock while we read the version
	if err != nil {
		return sqliteErr("begin migration", err)
	}
	defer tx.Rollback()
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return sqliteErr("read schema version", err)
	}
	latest := len(sqliteMigrations) - 1
	if cur > latest {
		return fmt.Errorf("sqlite store: database schema version %d is newer than this program's %d; upgrade the program", cur, latest)
	}
	for v := cur + 1; v <= latest; v++ {
		if _, err := tx.ExecContext(ctx, sqliteMigrations[v]); err != nil {
			return sqliteErr(fmt.Sprintf("apply migration %d", v), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`, v, toMillis(time.Now())); err != nil {
			return sqliteErr("record schema version", err)
		}
	}
	return sqliteErr("commit migration", tx.Commit())
}

// SchemaVersion returns the applied schema version.
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, sqliteErr("read schema version", err)
}

// SaveReport implements Store.
func (s *SQLite) SaveReport(ctx context.Context, r NewReport) (Saved, error) {
	p, err := prepare(r, s.opts)
	if err != nil {
		return Saved{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return Saved{}, sqliteErr("save report", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO reports (id, delete_hash, title, report_json, size_bytes, created_at, expires_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.id, p.tokenHash, p.title, nonNil(p.reportJSON), p.size, toMillis(p.createdAt), toMillis(p.expiresAt)); err != nil {
		return Saved{}, sqliteErr("save report", err)
	}
	for i, in := range p.inputs {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO report_inputs (report_id, position, name, kind, body) VALUES (?, ?, ?, ?, ?)`,
			p.id, i, in.Name, in.Kind, in.Text); err != nil {
			return Saved{}, sqliteErr("save report input", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Saved{}, sqliteErr("commit report", err)
	}
	return Saved{ID: p.id, DeleteToken: p.token, ExpiresAt: p.expiresAt}, nil
}

// GetReport implements Store.
func (s *SQLite) GetReport(ctx context.Context, id string) (*Report, error) {
	if !ValidID(id) {
		return nil, ErrNotFound
	}
	// One read transaction: a WAL snapshot, so the report and its inputs
	// are read consistently even while a delete runs.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, sqliteErr("get report", err)
	}
	defer tx.Rollback()
	rep := &Report{ID: id}
	var created, expires int64
	err = tx.QueryRowContext(ctx,
		`SELECT title, report_json, created_at, expires_at FROM reports WHERE id = ? AND expires_at > ?`,
		id, toMillis(s.opts.Now())).Scan(&rep.Title, &rep.ReportJSON, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, sqliteErr("get report", err)
	}
	rep.CreatedAt, rep.ExpiresAt = fromMillis(created), fromMillis(expires)
	rows, err := tx.QueryContext(ctx, `SELECT name, kind, body FROM report_inputs WHERE report_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, sqliteErr("get report inputs", err)
	}
	defer rows.Close()
	for rows.Next() {
		var in SavedInput
		if err := rows.Scan(&in.Name, &in.Kind, &in.Text); err != nil {
			return nil, sqliteErr("get report inputs", err)
		}
		rep.Inputs = append(rep.Inputs, in)
	}
	if err := rows.Err(); err != nil {
		return nil, sqliteErr("get report inputs", err)
	}
	return rep, nil
}

// DeleteReport implements Store.
func (s *SQLite) DeleteReport(ctx context.Context, id, deleteToken string) error {
	if !ValidID(id) {
		return ErrNotFound
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return sqliteErr("delete report", err)
	}
	defer tx.Rollback()
	var hash []byte
	err = tx.QueryRowContext(ctx, `SELECT delete_hash FROM reports WHERE id = ? AND expires_at > ?`,
		id, toMillis(s.opts.Now())).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return sqliteErr("delete report", err)
	}
	if !tokenMatches(hash, deleteToken) {
		return ErrForbidden
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE id = ?`, id); err != nil {
		return sqliteErr("delete report", err)
	}
	return sqliteErr("commit delete", tx.Commit())
}

// PurgeExpired implements Store.
func (s *SQLite) PurgeExpired(ctx context.Context, now time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM reports WHERE expires_at <= ?`, toMillis(now))
	if err != nil {
		return 0, sqliteErr("purge expired reports", err)
	}
	n, err := res.RowsAffected()
	return int(n), sqliteErr("purge expired reports", err)
}

// Vote implements Store. Only the rule id, the outcome and the time are
// kept: nothing the person pasted.
func (s *SQLite) Vote(ctx context.Context, ruleID string, fixed bool) error {
	if err := checkRuleID(ruleID); err != nil {
		return err
	}
	f := 0
	if fixed {
		f = 1
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO votes (rule_id, fixed, voted_at) VALUES (?, ?, ?)`,
		ruleID, f, toMillis(s.opts.Now()))
	return sqliteErr("record vote", err)
}

// VoteStats implements Store.
func (s *SQLite) VoteStats(ctx context.Context) (map[string]VoteStat, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT rule_id, SUM(fixed), COUNT(*) - SUM(fixed) FROM votes GROUP BY rule_id`)
	if err != nil {
		return nil, sqliteErr("vote stats", err)
	}
	defer rows.Close()
	out := map[string]VoteStat{}
	for rows.Next() {
		var id string
		var yes, no int
		if err := rows.Scan(&id, &yes, &no); err != nil {
			return nil, sqliteErr("vote stats", err)
		}
		out[id] = VoteStat{Yes: yes, No: no, Rate: rate(yes, no)}
	}
	return out, sqliteErr("vote stats", rows.Err())
}

// Stats implements Store.
func (s *SQLite) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.r.QueryRowContext(ctx,
		`SELECT (SELECT COUNT(*) FROM reports), (SELECT COALESCE(SUM(size_bytes), 0) FROM reports), (SELECT COUNT(*) FROM votes)`).
		Scan(&st.Reports, &st.Bytes, &st.Votes)
	return st, sqliteErr("store stats", err)
}

// Ping implements Store: it reads from the database, so a missing or
// unreadable file shows up, not just a live handle.
func (s *SQLite) Ping(ctx context.Context) error {
	var v int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// Close implements Store.
func (s *SQLite) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// sqliteErr adds context and marks the conditions that mean "try again
// later" (busy past the timeout, disk full, I/O errors) as ErrUnavailable.
func sqliteErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR,
			sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
			return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
