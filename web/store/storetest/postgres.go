package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDatabaseURL names the PostgreSQL server the tests use; CI sets it.
const EnvDatabaseURL = "RLD_TEST_DATABASE_URL"

// EnvPGCtl is a command that, given "stop" or "start" as its last argument,
// controls the local test server (e.g. "pg_ctlcluster 15 main"). CI sets it;
// only then do outage tests run.
const EnvPGCtl = "RLD_TEST_PG_CTL"

// inCI reports whether a missing service must fail the test rather than
// skip it: under CI every test must really run.
func inCI() bool { return os.Getenv("CI") == "true" }

// PostgresURL returns a URL to a fresh, empty schema on the test server
// (search_path set in the URL), dropped when the test ends, so runs and
// packages never see each other's rows. It skips without a server, except
// under CI where it fails. While the test runs it holds a shared lock that
// PostgresOutage takes exclusively, so an outage test in one package does
// not stop the server under another package's test.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := baseURL(t)
	lockServer(t, syscall.LOCK_SH)
	return freshSchema(t, base)
}

// PostgresOutage returns a fresh schema's URL plus functions that stop and
// start the test server. It holds the server lock exclusively until the test
// ends and restarts the server at cleanup if the test left it stopped. It
// skips unless EnvPGCtl is set, except under CI where it fails.
func PostgresOutage(t testing.TB) (dbURL string, stop, start func()) {
	t.Helper()
	base := baseURL(t)
	ctl := strings.Fields(os.Getenv(EnvPGCtl))
	if len(ctl) == 0 {
		if inCI() {
			t.Fatalf("%s is not set under CI; .ci/postgres.sh's start_postgres exports it", EnvPGCtl)
		}
		t.Skipf("%s not set; the outage test needs control of a local PostgreSQL server", EnvPGCtl)
	}
	lockServer(t, syscall.LOCK_EX)
	dbURL = freshSchema(t, base)
	stopped := false
	run := func(action string) {
		t.Helper()
		args := append(append([]string{}, ctl[1:]...), action)
		out, err := exec.Command(ctl[0], args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", strings.Join(ctl, " "), action, err, out)
		}
	}
	stop = func() { t.Helper(); run("stop"); stopped = true }
	start = func() { t.Helper(); run("start"); stopped = false }
	// Registered after freshSchema's cleanup, so it runs first: the server
	// is back before the schema is dropped.
	t.Cleanup(func() {
		if stopped {
			start()
		}
		WaitPostgres(t, base, 30*time.Second)
	})
	return dbURL, stop, start
}

// WaitPostgres waits until the server at dbURL answers a query.
func WaitPostgres(t testing.TB, dbURL string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, dbURL)
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(ctx)
		}
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("postgres did not come back within %v: %v", timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func baseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvDatabaseURL)
	if u == "" {
		if inCI() {
			t.Fatalf("%s is not set under CI; .ci/run starts PostgreSQL and exports it", EnvDatabaseURL)
		}
		t.Skipf("%s not set; PostgreSQL store tests need a server", EnvDatabaseURL)
	}
	return u
}

func freshSchema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(base, schema)
}

// withSearchPath adds search_path to a URL or key=value connection string;
// pgx sends unknown parameters to the server as run-time settings.
func withSearchPath(base, schema string) string {
	if u, err := url.Parse(base); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " search_path=" + schema
}

// lockServer takes a flock shared by every test process on this machine,
// released when the test ends.
func lockServer(t testing.TB, how int) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "rld-test-postgres.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatalf("open server lock: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		t.Fatalf("take server lock: %v", err)
	}
	t.Cleanup(func() { f.Close() }) // closing releases the lock
}
