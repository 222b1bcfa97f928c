// Package store keeps saved ("Save & share") reports and "did this fix it?"
// votes. It knows nothing of HTTP or HTML: the web layer calls it and turns
// its sentinel errors into statuses (ErrNotFound → 404, ErrForbidden → 403,
// ErrTooLarge → 413, ErrInvalid → 400, ErrUnavailable → 503).
//
// Two implementations share one contract and one test suite (storetest):
// SQLite (modernc.org/sqlite, the zero-setup default, a file in the data
// directory) and PostgreSQL (pgx/v5, for several replicas behind a load
// balancer). Open picks one from Config.
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. Callers test them with errors.Is; the returned errors carry
// context but never any stored or pasted text.
var (
	// ErrNotFound: no report with that id, or it has expired. Expired reports
	// are never served, even before PurgeExpired removes them.
	ErrNotFound = errors.New("report not found")
	// ErrForbidden: the delete token does not match the report's.
	ErrForbidden = errors.New("delete token does not match")
	// ErrTooLarge: the report is over Options.MaxReportBytes.
	ErrTooLarge = errors.New("report too large")
	// ErrInvalid: the request cannot be stored as given (bad rule id, invalid
	// UTF-8, report JSON that does not parse, …).
	ErrInvalid = errors.New("invalid input")
	// ErrUnavailable: the database cannot be reached right now. The store
	// recovers by itself once it is back; the web layer answers 503.
	ErrUnavailable = errors.New("report store unavailable")
)

// Store is the contract both implementations satisfy.
type Store interface {
	// SaveReport stores a report and returns its id and the one-time delete
	// token (only its hash is kept).
	SaveReport(ctx context.Context, r NewReport) (Saved, error)
	// GetReport returns a stored, unexpired report or ErrNotFound.
	GetReport(ctx context.Context, id string) (*Report, error)
	// DeleteReport removes a report when deleteToken matches (ErrForbidden
	// otherwise, ErrNotFound when there is no such unexpired report).
	DeleteReport(ctx context.Context, id, deleteToken string) error
	// PurgeExpired deletes every report whose expiry is at or before now and
	// returns how many went.
	PurgeExpired(ctx context.Context, now time.Time) (int, error)
	// Vote records one "did this fix it?" answer: rule id, outcome and time.
	Vote(ctx context.Context, ruleID string, fixed bool) error
	// VoteStats returns the tally per rule id.
	VoteStats(ctx context.Context) (map[string]VoteStat, error)
	// Stats returns sizes for metrics.
	Stats(ctx context.Context) (Stats, error)
	// Ping reports whether the database is reachable (for /readyz).
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// SavedInput is one input of a saved report. Text is expected to be redacted
// by the caller already; the store redacts again (Options.Redact).
type SavedInput struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// NewReport is what SaveReport stores.
type NewReport struct {
	Inputs     []SavedInput
	ReportJSON []byte // the DESIGN.md JSON report
	Title      string
	TTL        time.Duration // 0 means Options.DefaultTTL
}

// Saved is what SaveReport hands back. DeleteToken is shown to the person
// once; the store cannot recover it later.
type Saved struct {
	ID          string
	DeleteToken string
	ExpiresAt   time.Time
}

// Report is a stored report as read back.
type Report struct {
	ID         string
	Title      string
	Inputs     []SavedInput
	ReportJSON []byte
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// VoteStat is the tally of one rule's votes. Rate is Yes/(Yes+No), 0 when
// there are no votes.
type VoteStat struct {
	Yes  int
	No   int
	Rate float64
}

// Stats are the store's sizes for /metrics. Reports and Bytes count every
// stored row, including expired ones the purger has not reached yet.
type Stats struct {
	Reports int64
	Bytes   int64
	Votes   int64
}

// Defaults for Options' zero values.
const (
	DefaultTTL            = 30 * 24 * time.Hour
	DefaultMaxReportBytes = 16 << 20
	DefaultMaxInputs      = 200
	maxTitleBytes         = 1000
	maxNameBytes          = 1000
	maxKindBytes          = 100
	maxRuleIDBytes        = 100
)

// Options tune either implementation. The zero value is usable.
type Options struct {
	// Now is the clock (tests inject one); nil means time.Now.
	Now func() time.Time
	// Redact is applied to every title, input name and text and to the
	// report JSON before anything is written: defence in depth, because a
	// caller that forgot to redact must still not put a key on disk.
	Redact func(string) string
	// MaxReportBytes bounds title + inputs + report JSON (after redaction);
	// 0 means DefaultMaxReportBytes.
	MaxReportBytes int64
	// MaxInputs bounds the number of inputs; 0 means DefaultMaxInputs.
	MaxInputs int
	// DefaultTTL is used when NewReport.TTL is 0; 0 means DefaultTTL.
	DefaultTTL time.Duration
	// MaxTTL caps NewReport.TTL when set (the configured retention).
	MaxTTL time.Duration
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxReportBytes <= 0 {
		o.MaxReportBytes = DefaultMaxReportBytes
	}
	if o.MaxInputs <= 0 {
		o.MaxInputs = DefaultMaxInputs
	}
	if o.DefaultTTL <= 0 {
		o.DefaultTTL = DefaultTTL
	}
	return o
}

// Config selects and configures a store for Open.
type Config struct {
	// DatabaseURL, when set (postgres://…), selects PostgreSQL.
	DatabaseURL string
	// DataDir holds the SQLite database otherwise.
	DataDir string
	Options Options
}

// Open returns PostgreSQL when cfg.DatabaseURL is set and SQLite in
// cfg.DataDir otherwise.
func Open(ctx context.Context, cfg Config) (Store, error) {
	if strings.TrimSpace(cfg.DatabaseURL) != "" {
		return OpenPostgres(ctx, cfg.DatabaseURL, cfg.Options)
	}
	if strings.TrimSpace(cfg.DataDir) == "" {
		return nil, errors.New("open report store: neither a database URL nor a data directory is set")
	}
	return OpenSQLite(ctx, cfg.DataDir, cfg.Options)
}

// idEncoding is lowercase base32 without padding: URL-safe, case-insensitive
// to read aloud, and 16 random bytes give exactly 26 characters.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

const (
	idBytes    = 16 // 128 bits: unguessable permalinks
	tokenBytes = 20 // 160 bits for the delete token
	idLen      = 26
)

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return idEncoding.EncodeToString(b), nil
}

// ValidID reports whether id has the shape of an id this package makes, so
// a malformed one is answered without touching the database.
func ValidID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// hashToken returns SHA-256 of the delete token. Only this hash is stored, so
// a copy of the database (a backup, a leaked dump) does not let anyone delete
// reports. A fast hash is enough here: the token is 160 random bits, not a
// password, so there is nothing to brute-force that a slow hash would protect.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// tokenMatches compares in constant time so the check leaks nothing about
// how much of a guessed token was right.
func tokenMatches(stored []byte, token string) bool {
	return subtle.ConstantTimeCompare(stored, hashToken(token)) == 1
}

// prepared is a NewReport after redaction and validation, ready to insert.
type prepared struct {
	id, token  string
	tokenHash  []byte
	title      string
	inputs     []SavedInput
	reportJSON []byte
	size       int64
	createdAt  time.Time
	expiresAt  time.Time
}

func prepare(r NewReport, o Options) (prepared, error) {
	redact := o.Redact
	if redact == nil {
		redact = func(s string) string { return s }
	}
	if len(r.Inputs) > o.MaxInputs {
		return prepared{}, fmt.Errorf("%w: %d inputs, at most %d", ErrTooLarge, len(r.Inputs), o.MaxInputs)
	}
	if r.TTL < 0 {
		return prepared{}, fmt.Errorf("%w: negative lifetime", ErrInvalid)
	}
	ttl := r.TTL
	if ttl == 0 {
		ttl = o.DefaultTTL
	}
	if o.MaxTTL > 0 && ttl > o.MaxTTL {
		ttl = o.MaxTTL
	}
	p := prepared{title: redact(r.Title)}
	if err := checkText("title", p.title, maxTitleBytes); err != nil {
		return prepared{}, err
	}
	size := int64(len(p.title))
	for i, in := range r.Inputs {
		out := SavedInput{Name: redact(in.Name), Kind: in.Kind, Text: redact(in.Text)}
		if err := checkText(fmt.Sprintf("input %d name", i+1), out.Name, maxNameBytes); err != nil {
			return prepared{}, err
		}
		if err := checkText(fmt.Sprintf("input %d kind", i+1), out.Kind, maxKindBytes); err != nil {
			return prepared{}, err
		}
		if err := checkText(fmt.Sprintf("input %d", i+1), out.Text, -1); err != nil {
			return prepared{}, err
		}
		size += int64(len(out.Name) + len(out.Kind) + len(out.Text))
		if size > o.MaxReportBytes {
			return prepared{}, fmt.Errorf("%w: over %d bytes", ErrTooLarge, o.MaxReportBytes)
		}
		p.inputs = append(p.inputs, out)
	}
	if len(r.ReportJSON) > 0 {
		// The report's evidence quotes the inputs, so it is redacted too;
		// a redactor that broke the JSON is refused rather than stored.
		js := redact(string(r.ReportJSON))
		if !json.Valid([]byte(js)) {
			return prepared{}, fmt.Errorf("%w: report JSON does not parse", ErrInvalid)
		}
		p.reportJSON = []byte(js)
	}
	size += int64(len(p.reportJSON))
	if size > o.MaxReportBytes {
		return prepared{}, fmt.Errorf("%w: over %d bytes", ErrTooLarge, o.MaxReportBytes)
	}
	var err error
	if p.id, err = randomString(idBytes); err != nil {
		return prepared{}, err
	}
	if p.token, err = randomString(tokenBytes); err != nil {
		return prepared{}, err
	}
	p.tokenHash = hashToken(p.token)
	p.size = size
	// Milliseconds are what both databases store (see schema), so round
	// here and hand back exactly what a later read returns.
	p.createdAt = o.Now().UTC().Truncate(time.Millisecond)
	p.expiresAt = p.createdAt.Add(ttl).Truncate(time.Millisecond)
	return p, nil
}

// checkText refuses what PostgreSQL's text type would refuse (invalid UTF-8,
// NUL), in both stores, so the two behave the same.
func checkText(what, s string, max int) error {
	if max >= 0 && len(s) > max {
		return fmt.Errorf("%w: %s is over %d bytes", ErrInvalid, what, max)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, what)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("%w: %s contains a NUL byte", ErrInvalid, what)
	}
	return nil
}

func checkRuleID(id string) error {
	if id == "" || len(id) > maxRuleIDBytes {
		return fmt.Errorf("%w: rule id must be 1 to %d characters", ErrInvalid, maxRuleIDBytes)
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("%w: rule id may hold only letters, digits, '-', '_' and '.'", ErrInvalid)
		}
	}
	return nil
}

func toMillis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func rate(yes, no int) float64 {
	if yes+no == 0 {
		return 0
	}
	return float64(yes) / float64(yes+no)
}
