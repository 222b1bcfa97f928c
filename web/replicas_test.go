package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store/storetest"
)

// pgEnv is a server on a PostgreSQL store opened the way serve.go opens it:
// store.Open with the --database-url.
func pgEnv(t *testing.T, dbURL string) *opsEnv {
	t.Helper()
	cfg := DefaultConfig()
	cfg.RateLimit = 0
	cfg.DatabaseURL = dbURL
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: t.TempDir(), Options: store.Options{Redact: redact.String}})
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	if _, ok := st.(*store.Postgres); !ok {
		t.Fatalf("store.Open picked %T for a postgres:// URL", st)
	}
	t.Cleanup(func() { st.Close() })
	logs := &syncBuffer{}
	srv, err := New(cfg, Deps{Library: testLibrary(t), Logger: NewLogger(cfg, logs), Store: st})
	if err != nil {
		t.Fatal(err)
	}
	return &opsEnv{srv: srv, store: st, logs: logs}
}

// TestReplicasSharePostgres: two servers on one database, as behind a load
// balancer: a report saved through one is served (and deleted) by the other.
func TestReplicasSharePostgres(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	a, b := pgEnv(t, dbURL), pgEnv(t, dbURL)
	rec := a.req(t, "POST", "/api/v1/reports", diagnoseBody(smallAgent), "Content-Type", jsonCT)
	if rec.Code != 201 {
		t.Fatalf("save on A: %d %s", rec.Code, rec.Body)
	}
	var saved SavedJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &saved); err != nil {
		t.Fatal(err)
	}
	fromA := a.req(t, "GET", "/reports/"+saved.ID+".json", "")
	fromB := b.req(t, "GET", "/reports/"+saved.ID+".json", "")
	if fromB.Code != 200 || fromB.Body.String() != fromA.Body.String() {
		t.Fatalf("report on B: %d, same as A: %v", fromB.Code, fromB.Body.String() == fromA.Body.String())
	}
	if rec := b.req(t, "GET", "/reports/"+saved.ID, ""); rec.Code != 200 {
		t.Errorf("report page on B: %d", rec.Code)
	}
	del := b.req(t, "DELETE", "/api/v1/reports/"+saved.ID, "", "X-Delete-Token", saved.DeleteToken)
	if del.Code >= 300 {
		t.Fatalf("delete on B: %d %s", del.Code, del.Body)
	}
	if rec := a.req(t, "GET", "/reports/"+saved.ID+".json", ""); rec.Code != 404 {
		t.Errorf("deleted on B, A still serves it: %d", rec.Code)
	}
	for _, e := range []*opsEnv{a, b} {
		if rec := e.req(t, "GET", "/readyz", ""); rec.Code != 200 {
			t.Errorf("readyz: %d", rec.Code)
		}
	}
}

// TestPostgresOutage: with the database stopped, /readyz fails, diagnosis
// without saving still works and saving answers a clear 503 JSON; once the
// database is back, saving works again without restarting the app.
func TestPostgresOutage(t *testing.T) {
	dbURL, stop, start := storetest.PostgresOutage(t)
	env := pgEnv(t, dbURL)
	save := func() *httptest.ResponseRecorder {
		return env.req(t, "POST", "/api/v1/reports", diagnoseBody(smallAgent), "Content-Type", jsonCT)
	}
	if rec := save(); rec.Code != 201 {
		t.Fatalf("save before the outage: %d %s", rec.Code, rec.Body)
	}
	stop()
	if rec := env.req(t, "GET", "/readyz", ""); rec.Code != 503 || !strings.Contains(rec.Body.String(), "unreachable") {
		t.Errorf("/readyz during the outage: %d %s", rec.Code, rec.Body)
	}
	if rec := env.req(t, "POST", "/api/v1/diagnose", diagnoseBody(smallAgent), "Content-Type", jsonCT); rec.Code != 200 {
		t.Errorf("diagnose during the outage: %d %s", rec.Code, rec.Body)
	}
	if rec := env.req(t, "GET", "/articles", ""); rec.Code != 200 {
		t.Errorf("articles during the outage: %d", rec.Code)
	}
	rec := save()
	var body map[string]string
	if rec.Code != 503 || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body["error"] == "" {
		t.Errorf("save during the outage: %d %s, want 503 with a JSON error", rec.Code, rec.Body)
	}
	t.Logf("503 answer: %s", rec.Body)
	start()
	deadline := time.Now().Add(30 * time.Second)
	for {
		rec := save()
		if rec.Code == 201 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("saving did not recover within 30s: %d %s", rec.Code, rec.Body)
		}
		time.Sleep(300 * time.Millisecond)
	}
	if rec := env.req(t, "GET", "/readyz", ""); rec.Code != 200 {
		t.Errorf("/readyz after restart: %d", rec.Code)
	}
}
