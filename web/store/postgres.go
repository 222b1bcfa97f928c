package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// postgresMigrations mirror sqliteMigrations (same tables, same meaning).
// Report JSON is BYTEA rather than JSONB so it reads back byte for byte.
var postgresMigrations = []string{
	1: `
CREATE TABLE reports (
	id          TEXT    PRIMARY KEY,
	delete_hash BYTEA   NOT NULL,
	title       TEXT    NOT NULL,
	report_json BYTEA   NOT NULL,
	size_bytes  BIGINT  NOT NULL,
	created_at  BIGINT  NOT NULL,
	expires_at  BIGINT  NOT NULL
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
	id       BIGSERIAL PRIMARY KEY,
	rule_id  TEXT      NOT NULL,
	fixed    BOOLEAN   NOT NULL,
	voted_at BIGINT    NOT NULL
);
CREATE INDEX votes_rule_id ON votes (rule_id);
`,
}

// migrationLockKey is the pg_advisory_xact_lock key that serialises
// migrations: several replicas started together each try to migrate, and the
// lock makes the second wait and then find nothing left to do, instead of
// both creating the same tables. ("rld-mig" in ASCII.)
const migrationLockKey int64 = 0x726c642d6d6967

// Postgres is the shared store for several replicas.
//
// Availability: every operation whose failure comes from the connection
// (refused, reset, server shutting down) returns an error wrapping
// ErrUnavailable. The pool discards broken connections and dials new ones on
// demand, so when the server returns the next call works without restarting
// the program.
type Postgres struct {
	pool *pgxpool.Pool
	opts Options
}

var _ Store = (*Postgres)(nil)

// OpenPostgres connects to url (postgres://…; the usual libpq parameters
// work, including search_path) and applies pending migrations. The server
// must be up at start: a replica that cannot reach its database should fail
// its start-up, not serve 503s from the first request.
func OpenPostgres(ctx context.Context, url string, opts Options) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL, password included; keep it out.
		return nil, errors.New("open postgres store: the database URL does not parse")
	}
	if cfg.MaxConns < 4 {
		cfg.MaxConns = 4
	}
	// Check idle connections often, so ones broken by a server restart are
	// replaced before a request picks them up.
	cfg.HealthCheckPeriod = 15 * time.Second
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 5*time.Second {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, pgErr("open postgres store", err)
	}
	s := &Postgres{pool: pool, opts: opts.withDefaults()}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *Postgres) migrate(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return pgErr("begin migration", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
		return pgErr("take migration lock", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at BIGINT  NOT NULL)`); err != nil {
		return pgErr("create schema_version", err)
	}
	var cur int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return pgErr("read schema version", err)
	}
	latest := len(postgresMigrations) - 1
	if cur > latest {
		return fmt.Errorf("postgres store: database schema version %d is newer than this program's %d; upgrade the program", cur, latest)
	}
	for v := cur + 1; v <= latest; v++ {
		if _, err := tx.Exec(ctx, postgresMigrations[v]); err != nil {
			return pgErr(fmt.Sprintf("apply migration %d", v), err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)`, v, toMillis(time.Now())); err != nil {
			return pgErr("record schema version", err)
		}
	}
	return pgErr("commit migration", tx.Commit(ctx))
}

// SchemaVersion returns the applied schema version.
func (s *Postgres) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, pgErr("read schema version", err)
}

// SaveReport implements Store.
func (s *Postgres) SaveReport(ctx context.Context, r NewReport) (Saved, error) {
	p, err := prepare(r, s.opts)
	if err != nil {
		return Saved{}, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`INSERT INTO reports (id, delete_hash, title, report_json, size_bytes, created_at, expires_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			p.id, p.tokenHash, p.title, nonNil(p.reportJSON), p.size, toMillis(p.createdAt), toMillis(p.expiresAt)); err != nil {
			return err
		}
		if len(p.inputs) == 0 {
			return nil
		}
		rows := make([][]any, len(p.inputs))
		for i, in := range p.inputs {
			rows[i] = []any{p.id, i, in.Name, in.Kind, in.Text}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"report_inputs"},
			[]string{"report_id", "position", "name", "kind", "body"}, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return Saved{}, pgErr("save report", err)
	}
	return Saved{ID: p.id, DeleteToken: p.token, ExpiresAt: p.expiresAt}, nil
}

// GetReport implements Store.
func (s *Postgres) GetReport(ctx context.Context, id string) (*Report, error) {
	if !ValidID(id) {
		return nil, ErrNotFound
	}
	// One statement, so one round trip and one consistent snapshot: the
	// inputs come back as three parallel arrays in position order.
	rep := &Report{ID: id}
	var created, expires int64
	var names, kinds, bodies []string
	err := s.pool.QueryRow(ctx, `
		SELECT title, report_json, created_at, expires_at,
		       ARRAY(SELECT name FROM report_inputs WHERE report_id = r.id ORDER BY position),
		       ARRAY(SELECT kind FROM report_inputs WHERE report_id = r.id ORDER BY position),
		       ARRAY(SELECT body FROM report_inputs WHERE report_id = r.id ORDER BY position)
		FROM reports r WHERE id = $1 AND expires_at > $2`,
		id, toMillis(s.opts.Now())).Scan(&rep.Title, &rep.ReportJSON, &created, &expires, &names, &kinds, &bodies)
	if err == nil {
		if len(kinds) != len(names) || len(bodies) != len(names) {
			return nil, errors.New("get report: inputs read back inconsistently")
		}
		rep.CreatedAt, rep.ExpiresAt = fromMillis(created), fromMillis(expires)
		for i := range names {
			rep.Inputs = append(rep.Inputs, SavedInput{Name: names[i], Kind: kinds[i], Text: bodies[i]})
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, pgErr("get report", err)
	}
	return rep, nil
}

// DeleteReport implements Store.
func (s *Postgres) DeleteReport(ctx context.Context, id, deleteToken string) error {
	if !ValidID(id) {
		return ErrNotFound
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var hash []byte
		if err := tx.QueryRow(ctx, `SELECT delete_hash FROM reports WHERE id = $1 AND expires_at > $2 FOR UPDATE`,
			id, toMillis(s.opts.Now())).Scan(&hash); err != nil {
			return err
		}
		if !tokenMatches(hash, deleteToken) {
			return ErrForbidden
		}
		_, err := tx.Exec(ctx, `DELETE FROM reports WHERE id = $1`, id)
		return err
	})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return ErrNotFound
	case errors.Is(err, ErrForbidden):
		return ErrForbidden
	}
	return pgErr("delete report", err)
}

// PurgeExpired implements Store.
func (s *Postgres) PurgeExpired(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM reports WHERE expires_at <= $1`, toMillis(now))
	if err != nil {
		return 0, pgErr("purge expired reports", err)
	}
	return int(tag.RowsAffected()), nil
}

// Vote implements Store. Only the rule id, the outcome and the time are
// kept: nothing the person pasted.
func (s *Postgres) Vote(ctx context.Context, ruleID string, fixed bool) error {
	if err := checkRuleID(ruleID); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO votes (rule_id, fixed, voted_at) VALUES ($1, $2, $3)`,
		ruleID, fixed, toMillis(s.opts.Now()))
	return pgErr("record vote", err)
}

// VoteStats implements Store.
func (s *Postgres) VoteStats(ctx context.Context) (map[string]VoteStat, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT rule_id, COUNT(*) FILTER (WHERE fixed), COUNT(*) FILTER (WHERE NOT fixed) FROM votes GROUP BY rule_id`)
	if err != nil {
		return nil, pgErr("vote stats", err)
	}
	out := map[string]VoteStat{}
	var id string
	var yes, no int
	_, err = pgx.ForEachRow(rows, []any{&id, &yes, &no}, func() error {
		out[id] = VoteStat{Yes: yes, No: no, Rate: rate(yes, no)}
		return nil
	})
	if err != nil {
		return nil, pgErr("vote stats", err)
	}
	return out, nil
}

// Stats implements Store.
func (s *Postgres) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.pool.QueryRow(ctx,
		`SELECT (SELECT COUNT(*) FROM reports), (SELECT COALESCE(SUM(size_bytes), 0)::BIGINT FROM reports), (SELECT COUNT(*) FROM votes)`).
		Scan(&st.Reports, &st.Bytes, &st.Votes)
	return st, pgErr("store stats", err)
}

// Ping implements Store with a real round trip (pool.Ping may be satisfied
// by a connection the server has already dropped).
func (s *Postgres) Ping(ctx context.Context) error {
	var one int
	if err := s.pool.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
		return pgErr("ping", err)
	}
	return nil
}

// Close implements Store.
func (s *Postgres) Close() error {
	s.pool.Close()
	return nil
}

// pgErr adds context and classifies: a server-side SQL error stays as it is;
// anything about reaching the server (dial refused, connection reset, the
// server shutting down or still starting) wraps ErrUnavailable.
func pgErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", op, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if strings.HasPrefix(pe.Code, "08") || // connection exception
			strings.HasPrefix(pe.Code, "57P") || // admin/crash shutdown, cannot connect now
			pe.Code == "53300" { // too many connections
			return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, err)
	}
	// Not an answer from the server: the connection itself failed.
	return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
}
