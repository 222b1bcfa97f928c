// Package storetest is the one test suite every store.Store implementation
// must pass, plus helpers for tests that need a PostgreSQL server. It is
// imported only by tests.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// Opener opens a fresh, empty store with opts for one (sub)test and closes
// it when the test ends.
type Opener func(t *testing.T, opts store.Options) store.Store

// Clock is a settable clock for Options.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at a fixed instant.
func NewClock() *Clock {
	return &Clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// FakeKey looks like an OpenAI key; Redact replaces it.
const FakeKey = "sk-proj-TESTKEYdoNotUse0123456789abcdefABCDEF"

// Redact stands in for the web layer's redactor in the suite.
func Redact(s string) string { return strings.ReplaceAll(s, FakeKey, "sk-…REDACTED") }

var ctx = context.Background()

// Run runs the whole suite against open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"RoundTrip", testRoundTrip},
		{"DefaultAndMaxTTL", testTTL},
		{"Redaction", testRedaction},
		{"UnknownID", testUnknownID},
		{"Expiry", testExpiry},
		{"Purge", testPurge},
		{"Delete", testDelete},
		{"Votes", testVotes},
		{"Stats", testStats},
		{"ConcurrentSaves", testConcurrentSaves},
		{"TooLarge", testTooLarge},
		{"InvalidInput", testInvalid},
		{"Ping", testPing},
		{"CanceledContext", testCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func sample(n int) store.NewReport {
	return store.NewReport{
		Title: fmt.Sprintf("loop in agents.py #%d", n),
		Inputs: []store.SavedInput{
			{Name: "agents.py", Kind: "python", Text: fmt.Sprintf("import autogen\n# run %d\nassistant = autogen.AssistantAgent(\"a\")\n", n)},
			{Name: "run.log", Kind: "log", Text: "openai.RateLimitError: Error code: 429 — ünïcode ✓\n\ttabs and trailing spaces  \n"},
		},
		ReportJSON: []byte(`{"version": 1, "causes": [{"cause":"loop","score":0.9}],` + "\n" + ` "findings": [], "inputs": []}`),
		TTL:        24 * time.Hour,
	}
}

func mustSave(t *testing.T, s store.Store, r store.NewReport) store.Saved {
	t.Helper()
	saved, err := s.SaveReport(ctx, r)
	if err != nil {
		t.Fatalf("SaveReport: %v", err)
	}
	return saved
}

func sameContent(t *testing.T, got *store.Report, want store.NewReport) {
	t.Helper()
	if got.Title != want.Title {
		t.Errorf("title = %q, want %q", got.Title, want.Title)
	}
	if !bytes.Equal(got.ReportJSON, want.ReportJSON) {
		t.Errorf("report JSON = %q, want %q", got.ReportJSON, want.ReportJSON)
	}
	if len(got.Inputs) != len(want.Inputs) {
		t.Fatalf("%d inputs, want %d", len(got.Inputs), len(want.Inputs))
	}
	for i := range want.Inputs {
		if got.Inputs[i] != want.Inputs[i] {
			t.Errorf("input %d = %+v, want %+v", i, got.Inputs[i], want.Inputs[i])
		}
	}
}

func testRoundTrip(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, store.Options{Now: clock.Now})
	want := sample(1)
	saved := mustSave(t, s, want)
	if !store.ValidID(saved.ID) || len(saved.ID) != 26 {
		t.Errorf("id %q is not 26 lowercase base32 characters", saved.ID)
	}
	if len(saved.DeleteToken) < 26 || saved.DeleteToken == saved.ID {
		t.Errorf("delete token %q is too short or equals the id", saved.DeleteToken)
	}
	if wantExp := clock.Now().Add(24 * time.Hour); !saved.ExpiresAt.Equal(wantExp) {
		t.Errorf("ExpiresAt = %v, want %v", saved.ExpiresAt, wantExp)
	}
	got, err := s.GetReport(ctx, saved.ID)
	if err != nil {
		t.Fatalf("GetReport: %v", err)
	}
	if got.ID != saved.ID {
		t.Errorf("id = %q, want %q", got.ID, saved.ID)
	}
	sameContent(t, got, want)
	if !got.CreatedAt.Equal(clock.Now()) || !got.ExpiresAt.Equal(saved.ExpiresAt) {
		t.Errorf("times = %v/%v, want %v/%v", got.CreatedAt, got.ExpiresAt, clock.Now(), saved.ExpiresAt)
	}
	// A report with no inputs and no JSON is still a report.
	empty := mustSave(t, s, store.NewReport{Title: "nothing pasted"})
	got, err = s.GetReport(ctx, empty.ID)
	if err != nil {
		t.Fatalf("GetReport(empty): %v", err)
	}
	if got.Title != "nothing pasted" || len(got.Inputs) != 0 || len(got.ReportJSON) != 0 {
		t.Errorf("empty report read back as %+v", got)
	}
	other := mustSave(t, s, want)
	if other.ID == saved.ID || other.DeleteToken == saved.DeleteToken {
		t.Error("two saves got the same id or token")
	}
}

func testTTL(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, store.Options{Now: clock.Now, MaxTTL: 7 * 24 * time.Hour})
	r := sample(1)
	r.TTL = 0
	saved := mustSave(t, s, r)
	// DefaultTTL (30 days) is over MaxTTL, so the cap wins.
	if want := clock.Now().Add(7 * 24 * time.Hour); !saved.ExpiresAt.Equal(want) {
		t.Errorf("capped ExpiresAt = %v, want %v", saved.ExpiresAt, want)
	}
	s2 := open(t, store.Options{Now: clock.Now})
	saved = mustSave(t, s2, r)
	if want := clock.Now().Add(store.DefaultTTL); !saved.ExpiresAt.Equal(want) {
		t.Errorf("default ExpiresAt = %v, want %v", saved.ExpiresAt, want)
	}
}

func testRedaction(t *testing.T, open Opener) {
	s := open(t, store.Options{Redact: Redact})
	r := store.NewReport{
		Title:      "key " + FakeKey,
		Inputs:     []store.SavedInput{{Name: "cfg-" + FakeKey + ".json", Kind: "config", Text: `{"api_key": "` + FakeKey + `"}`}},
		ReportJSON: []byte(`{"version":1,"findings":[{"evidence":"api_key=` + FakeKey + `"}]}`),
	}
	saved := mustSave(t, s, r)
	got, err := s.GetReport(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	all := got.Title + string(got.ReportJSON)
	for _, in := range got.Inputs {
		all += in.Name + in.Kind + in.Text
	}
	if strings.Contains(all, FakeKey) {
		t.Fatalf("stored report still holds the key: %q", all)
	}
	if !strings.Contains(got.Inputs[0].Text, "REDACTED") || !strings.Contains(string(got.ReportJSON), "REDACTED") || !strings.Contains(got.Title, "REDACTED") {
		t.Errorf("redaction not applied everywhere: %+v", got)
	}
	// A redactor that breaks the JSON must not get broken JSON stored.
	bad := open(t, store.Options{Redact: func(s string) string { return strings.ReplaceAll(s, FakeKey, `"`) }})
	if _, err := bad.SaveReport(ctx, r); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("save with JSON-breaking redactor: err = %v, want ErrInvalid", err)
	}
}

func testUnknownID(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	mustSave(t, s, sample(1))
	for _, id := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaa", "", "../../etc/passwd", strings.Repeat("A", 26), "' OR 1=1 --", strings.Repeat("a", 10000)} {
		if _, err := s.GetReport(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetReport(%.30q) err = %v, want ErrNotFound", id, err)
		}
		if err := s.DeleteReport(ctx, id, "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteReport(%.30q) err = %v, want ErrNotFound", id, err)
		}
	}
}

func testExpiry(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, store.Options{Now: clock.Now})
	r := sample(1)
	r.TTL = time.Hour
	saved := mustSave(t, s, r)
	clock.Advance(59 * time.Minute)
	if _, err := s.GetReport(ctx, saved.ID); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	clock.Advance(time.Minute) // exactly at ExpiresAt: gone
	if _, err := s.GetReport(ctx, saved.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("at expiry: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteReport(ctx, saved.ID, saved.DeleteToken); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete after expiry: err = %v, want ErrNotFound", err)
	}
	// Still on disk until purged, and counted in Stats until then.
	st, err := s.Stats(ctx)
	if err != nil || st.Reports != 1 {
		t.Errorf("Stats before purge = %+v, %v; want 1 report", st, err)
	}
}

func testPurge(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, store.Options{Now: clock.Now})
	var short, long []string
	for i := 0; i < 5; i++ {
		r := sample(i)
		if i < 3 {
			r.TTL = time.Hour
			short = append(short, mustSave(t, s, r).ID)
		} else {
			r.TTL = 48 * time.Hour
			long = append(long, mustSave(t, s, r).ID)
		}
	}
	if n, err := s.PurgeExpired(ctx, clock.Now()); err != nil || n != 0 {
		t.Fatalf("purge now = %d, %v; want 0", n, err)
	}
	n, err := s.PurgeExpired(ctx, clock.Now().Add(2*time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("purge +2h = %d, %v; want 3", n, err)
	}
	if n, err := s.PurgeExpired(ctx, clock.Now().Add(2*time.Hour)); err != nil || n != 0 {
		t.Fatalf("second purge = %d, %v; want 0", n, err)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Reports != 2 {
		t.Errorf("Stats after purge = %+v, %v; want 2 reports", st, err)
	}
	clock.Advance(2 * time.Hour)
	for _, id := range long {
		if _, err := s.GetReport(ctx, id); err != nil {
			t.Errorf("long-lived report purged: %v", err)
		}
	}
	for _, id := range short {
		if _, err := s.GetReport(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("purged report still served: %v", err)
		}
	}
}

func testDelete(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	a := mustSave(t, s, sample(1))
	b := mustSave(t, s, sample(2))
	for _, tok := range []string{"", "wrong", b.DeleteToken, a.DeleteToken[:len(a.DeleteToken)-1], a.DeleteToken + "x", strings.ToUpper(a.DeleteToken)} {
		if err := s.DeleteReport(ctx, a.ID, tok); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("delete with token %q: err = %v, want ErrForbidden", tok, err)
		}
	}
	if _, err := s.GetReport(ctx, a.ID); err != nil {
		t.Fatalf("report gone after refused deletes: %v", err)
	}
	if err := s.DeleteReport(ctx, a.ID, a.DeleteToken); err != nil {
		t.Fatalf("delete with right token: %v", err)
	}
	if _, err := s.GetReport(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted report: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteReport(ctx, a.ID, a.DeleteToken); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	if _, err := s.GetReport(ctx, b.ID); err != nil {
		t.Errorf("other report affected by delete: %v", err)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Reports != 1 {
		t.Errorf("Stats after delete = %+v, %v; want 1 report", st, err)
	}
}

func testVotes(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	if vs, err := s.VoteStats(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("empty VoteStats = %v, %v", vs, err)
	}
	for _, v := range []struct {
		rule  string
		fixed bool
	}{{"RLD001", true}, {"RLD001", true}, {"RLD001", false}, {"RLD001", true}, {"loop.max-turns", false}} {
		if err := s.Vote(ctx, v.rule, v.fixed); err != nil {
			t.Fatalf("Vote(%s): %v", v.rule, err)
		}
	}
	for _, bad := range []string{"", "has space", "<script>", strings.Repeat("a", 101), "é"} {
		if err := s.Vote(ctx, bad, true); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Vote(%q) err = %v, want ErrInvalid", bad, err)
		}
	}
	vs, err := s.VoteStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.VoteStat{
		"RLD001":         {Yes: 3, No: 1, Rate: 0.75},
		"loop.max-turns": {Yes: 0, No: 1, Rate: 0},
	}
	if len(vs) != len(want) {
		t.Fatalf("VoteStats = %v, want %v", vs, want)
	}
	for k, w := range want {
		if vs[k] != w {
			t.Errorf("VoteStats[%s] = %+v, want %+v", k, vs[k], w)
		}
	}
}

func testStats(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	st, err := s.Stats(ctx)
	if err != nil || st != (store.Stats{}) {
		t.Fatalf("empty Stats = %+v, %v", st, err)
	}
	var bytes int64
	for i := 0; i < 3; i++ {
		r := sample(i)
		bytes += int64(len(r.Title) + len(r.ReportJSON))
		for _, in := range r.Inputs {
			bytes += int64(len(in.Name) + len(in.Kind) + len(in.Text))
		}
		mustSave(t, s, r)
	}
	if err := s.Vote(ctx, "RLD001", true); err != nil {
		t.Fatal(err)
	}
	st, err = s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.Stats{Reports: 3, Bytes: bytes, Votes: 1}); st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
}

func testConcurrentSaves(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	const n = 50
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			saved, err := s.SaveReport(ctx, sample(i))
			if err != nil {
				errs[i] = err
				return
			}
			ids[i] = saved.ID
			got, err := s.GetReport(ctx, saved.ID)
			if err != nil {
				errs[i] = err
				return
			}
			if got.Title != sample(i).Title {
				errs[i] = fmt.Errorf("report %d read back as %q", i, got.Title)
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
			continue
		}
		if seen[ids[i]] {
			t.Errorf("duplicate id %s", ids[i])
		}
		seen[ids[i]] = true
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Reports != n {
		t.Errorf("Stats = %+v, %v; want %d reports", st, err, n)
	}
}

func testTooLarge(t *testing.T, open Opener) {
	s := open(t, store.Options{MaxReportBytes: 1000, MaxInputs: 3})
	fits := store.NewReport{Inputs: []store.SavedInput{{Name: "a", Kind: "log", Text: strings.Repeat("x", 1000-4)}}}
	mustSave(t, s, fits)
	over := store.NewReport{Inputs: []store.SavedInput{{Name: "a", Kind: "log", Text: strings.Repeat("x", 1000-3)}}}
	if _, err := s.SaveReport(ctx, over); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("one byte over: err = %v, want ErrTooLarge", err)
	}
	jsonOver := store.NewReport{ReportJSON: []byte(`"` + strings.Repeat("y", 1000) + `"`)}
	if _, err := s.SaveReport(ctx, jsonOver); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("large JSON: err = %v, want ErrTooLarge", err)
	}
	many := store.NewReport{Inputs: make([]store.SavedInput, 4)}
	if _, err := s.SaveReport(ctx, many); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("too many inputs: err = %v, want ErrTooLarge", err)
	}
	if st, err := s.Stats(ctx); err != nil || st.Reports != 1 {
		t.Errorf("Stats = %+v, %v; refused reports must not be stored", st, err)
	}
}

func testInvalid(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	cases := map[string]store.NewReport{
		"invalid UTF-8":  {Inputs: []store.SavedInput{{Name: "a", Text: "ok \xff\xfe"}}},
		"NUL byte":       {Inputs: []store.SavedInput{{Name: "a", Text: "a\x00b"}}},
		"bad JSON":       {ReportJSON: []byte(`{"version":`)},
		"negative TTL":   {TTL: -time.Second},
		"huge title":     {Title: strings.Repeat("t", 5000)},
		"bad UTF-8 name": {Inputs: []store.SavedInput{{Name: "\xc3", Text: "x"}}},
	}
	for name, r := range cases {
		if _, err := s.SaveReport(ctx, r); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if st, err := s.Stats(ctx); err != nil || st.Reports != 0 {
		t.Errorf("Stats = %+v, %v; invalid reports must not be stored", st, err)
	}
}

func testPing(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// A request that was abandoned is not an outage: a canceled context must
// not be reported as ErrUnavailable (the web layer would answer 503).
func testCanceled(t *testing.T, open Opener) {
	s := open(t, store.Options{})
	saved := mustSave(t, s, sample(1))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.SaveReport(cctx, sample(2))
	if !errors.Is(err, context.Canceled) || errors.Is(err, store.ErrUnavailable) {
		t.Errorf("SaveReport with a canceled context: err = %v, want context.Canceled and not ErrUnavailable", err)
	}
	_, err = s.GetReport(cctx, saved.ID)
	if !errors.Is(err, context.Canceled) || errors.Is(err, store.ErrUnavailable) {
		t.Errorf("GetReport with a canceled context: err = %v, want context.Canceled and not ErrUnavailable", err)
	}
	if st, err := s.Stats(ctx); err != nil || st.Reports != 1 {
		t.Errorf("Stats = %+v, %v; the canceled save must not be stored", st, err)
	}
}
